"""Models and migrations of a generated benchmark project.

The project has the app ``shop``, whose models the fixtures fill, and three
"churn" apps (``crm``, ``billing``, ``ledger``). Every app has a ``Record``
model that gains a field (``AddField``) or widens one (``AlterField``)
migration after migration, the way a long-lived project piles up hundreds of
migrations. ``plan_churn`` spreads the migrations over the apps;
``write_schema`` writes ``models.py`` and ``migrations/`` of every app.

The last migration of ``shop`` always adds ``Customer.legacy_code`` (a
``NOT NULL`` column without a database default): the REUSE_DB benchmark
removes that migration to imitate a branch switch.
"""

from pathlib import Path

APPS = ("shop", "crm", "billing", "ledger")
# Each app's 0001_initial plus shop's closing customer_legacy_code migration.
FIXED_MIGRATIONS = len(APPS) + 1
LEGACY_CODE = ("legacy_code", 'models.CharField(max_length=16, default="")')

HEADER = "from django.db import migrations, models\nimport django.db.models.deletion\n"
MIGRATION = """{header}

class Migration(migrations.Migration):

    dependencies = [
{dependencies}
    ]

    operations = [
{operations}
    ]
"""

SHOP_MODELS = '''"""Models the benchmark fixtures fill (generated)."""

from django.db import models


class Category(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)


class Customer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)
{customer_extra}

class Product(models.Model):
    category = models.ForeignKey(Category, models.CASCADE, related_name="products")
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)


class Order(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="orders")
    number = models.CharField(max_length=32, unique=True)
    placed_at = models.DateTimeField()


class OrderLine(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField()

'''

RECORD_MODEL = '''
class Record(models.Model):
    """Grows by one migration at a time (AddField / AlterField)."""

    customer = models.ForeignKey(
        "shop.Customer", models.SET_NULL, null=True, blank=True, related_name="{app}_records"
    )
    title = models.CharField(max_length=100, blank=True, default="")
{fields}'''

SHOP_CREATE = '''        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=32, unique=True)),
                ("name", models.CharField(max_length=100)),
            ],
        ),
        migrations.CreateModel(
            name="Customer",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, unique=True)),
                ("name", models.CharField(max_length=100)),
            ],
        ),
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sku", models.CharField(max_length=32, unique=True)),
                ("name", models.CharField(max_length=100)),
                ("price", models.DecimalField(decimal_places=2, max_digits=10)),
                ("active", models.BooleanField(default=True)),
                ("category", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="products",
                    to="shop.category")),
            ],
        ),
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.CharField(max_length=32, unique=True)),
                ("placed_at", models.DateTimeField()),
                ("customer", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="orders",
                    to="shop.customer")),
            ],
        ),
        migrations.CreateModel(
            name="OrderLine",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("quantity", models.PositiveIntegerField()),
                ("order", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="lines",
                    to="shop.order")),
                ("product", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="order_lines",
                    to="shop.product")),
            ],
        ),
'''

RECORD_CREATE = '''        migrations.CreateModel(
            name="Record",
            fields=[
                ("id", models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(blank=True, default="", max_length=100)),
                ("customer", models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="{app}_records",
                    to="shop.customer")),
            ],
        ),
'''


def plan_churn(total):
    """``{app: number of churn migrations}`` for ``total`` migrations in all."""
    if total < FIXED_MIGRATIONS:
        raise ValueError(f"--migrations must be at least {FIXED_MIGRATIONS}, got {total}")
    churn = dict.fromkeys(APPS, 0)
    for k in range(total - FIXED_MIGRATIONS):
        churn[APPS[k % len(APPS)]] += 1
    return churn


def churn_operation(step):
    """Name suffix and operation of an app's ``step``-th churn migration (0-based):
    even steps add field ``f<i>``, odd steps widen the field just added."""
    index = step // 2 + 1
    if step % 2 == 0:
        field = 'models.CharField(blank=True, default="", max_length=32)'
        return f"record_f{index}", _field_operation("AddField", "record", f"f{index}", field)
    field = 'models.CharField(blank=True, default="", max_length=64)'
    return f"alter_record_f{index}", _field_operation("AlterField", "record", f"f{index}", field)


def _field_operation(kind, model, name, field):
    return (
        f"        migrations.{kind}(\n            model_name={model!r},\n"
        f"            name={name!r},\n            field={field},\n        ),\n"
    )


def add_field_operation(model, name, field):
    """An ``AddField`` operation as migration source (used by the REUSE_DB cases)."""
    return _field_operation("AddField", model, name, field)


def render_migration(dependencies, operations):
    deps = "".join(f"        {dep!r},\n" for dep in dependencies).rstrip("\n")
    return MIGRATION.format(
        header=HEADER, dependencies=deps, operations="".join(operations).rstrip("\n")
    )


def render_models(app, churn_steps, customer_fields=(LEGACY_CODE,)):
    fields = []
    for index in range(1, (churn_steps + 1) // 2 + 1):
        width = 64 if 2 * index <= churn_steps else 32
        fields.append(
            f'    f{index} = models.CharField(max_length={width}, blank=True, default="")\n'
        )
    record = RECORD_MODEL.format(app=app, fields="".join(fields))
    if app != "shop":
        return f'"""Churn model (generated)."""\n\nfrom django.db import models\n\n{record}'
    extra = "".join(f"    {name} = {field}\n" for name, field in customer_fields)
    return SHOP_MODELS.format(customer_extra=extra) + record


def write_schema(project, total_migrations):
    """Write every app's ``models.py`` and migrations; return the name of
    shop's last migration (``NNNN_customer_legacy_code``)."""
    project = Path(project)
    churn = plan_churn(total_migrations)
    last_shop = None
    for app in APPS:
        directory = project / app / "migrations"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "__init__.py").write_text("")
        create = RECORD_CREATE.format(app=app)
        operations = [SHOP_CREATE + create] if app == "shop" else [create]
        deps = [] if app == "shop" else [("shop", "0001_initial")]
        previous = "0001_initial"
        (directory / f"{previous}.py").write_text(render_migration(deps, operations))
        for step in range(churn[app]):
            suffix, operation = churn_operation(step)
            name = f"{step + 2:04d}_{suffix}"
            (directory / f"{name}.py").write_text(
                render_migration([(app, previous)], [operation])
            )
            previous = name
        if app == "shop":
            last_shop = f"{churn[app] + 2:04d}_customer_legacy_code"
            operation = add_field_operation("customer", *LEGACY_CODE)
            (directory / f"{last_shop}.py").write_text(
                render_migration([("shop", previous)], [operation])
            )
        (project / app / "models.py").write_text(render_models(app, churn[app]))
    return last_shop
