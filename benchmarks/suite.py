"""Fixtures and test modules of a generated benchmark project.

Each fixture set ``s`` is two files under ``shop/fixtures/``:
``set_SS_catalog.json`` (categories, products) and ``set_SS_orders.json``
(customers, orders, order lines), ``objects`` objects in all, linked by
foreign keys. Test class ``c`` uses set ``c % sets`` (shape ``balanced``:
many bundles of one size), or, shape ``dominant``, set 0 for ``DOMINANT``
of the classes and the other sets in turn for the rest (one bundle of ~90%
of the fixture classes and a few small ones, as in real suites where most
classes share one fixture list). The classes are written ``per_module`` to
a module, so the classes of every set are interleaved across the modules
as in a real suite. ``plain`` more classes have no fixtures (they write
and count their own rows), and with ``work`` every test also runs ``work``
queries of its own (a product listing), so a test costs what a real one
does and the fixture loads are only part of a run.

Every test runs one to three ordinary ORM queries and checks the result
against numbers computed here from the fixture data, so a test fails if it
sees another class's rows or the writes of an earlier test.
"""

import json
import random
from decimal import Decimal
from pathlib import Path

# Share of each model in a fixture set of 30 objects.
SHARES = (("category", 1), ("customer", 4), ("product", 10), ("order", 5), ("orderline", 10))

TEST_BODIES = {
    "product_count": """\
        self.assertEqual(Product.objects.count(), {products})
""",
    "category_products": """\
        category = Category.objects.get(code={cat_code!r})
        self.assertEqual(category.products.count(), {cat_products})
""",
    "customer_orders": """\
        customer = Customer.objects.get(email={cust_email!r})
        self.assertEqual(customer.orders.count(), {cust_orders})
""",
    "quantity_total": """\
        lines = OrderLine.objects.filter(order__customer__email={cust_email!r})
        self.assertEqual(lines.aggregate(total=Sum("quantity"))["total"], {cust_qty})
""",
    "expensive_products": """\
        expensive = Product.objects.filter(price__gte=Decimal({threshold!r}))
        self.assertEqual(expensive.count(), {expensive})
""",
    "order_lookup": """\
        order = Order.objects.select_related("customer").get(number={order_number!r})
        self.assertEqual(order.customer.email, {order_email!r})
        self.assertEqual(order.lines.count(), {order_lines})
""",
    "create_line": """\
        OrderLine.objects.create(order_id={order_pk}, product_id={product_pk}, quantity=1)
        self.assertEqual(OrderLine.objects.filter(order_id={order_pk}).count(), {order_lines} + 1)
        self.assertEqual(OrderLine.objects.count(), {orderlines} + 1)
""",
    "deactivate_category": """\
        Product.objects.filter(category__code={cat_code!r}).update(active=False)
        self.assertEqual(Product.objects.filter(active=True).count(), {active_after})
""",
}

MODULE_HEADER = '''"""Generated fixture-heavy tests: {count} classes."""

from decimal import Decimal

from django.db.models import Sum

from {base_module} import {base_name}
from shop.models import Category, Customer, Order, OrderLine, Product
'''


DOMINANT = 0.9  # share of the fixture classes in set 0 under the dominant shape
SHAPES = ("balanced", "dominant")
WORK = """\
        for _ in range({work}):
            list(Product.objects.filter(active=True).order_by("-price")[:20])
"""
PLAIN_CLASS = '''

class Plain{number:03d}Tests({base_name}):
    def test_own_rows(self):
        Category.objects.create(code="plain-{number}", name="Plain")
        self.assertEqual(Category.objects.count(), 1)
{work}'''


def set_of(class_no, classes, sets, shape="balanced"):
    """The fixture set of class ``class_no`` of ``classes``."""
    if shape == "balanced" or sets < 2:
        return class_no % sets
    dominant = max(1, round(classes * DOMINANT))
    return 0 if class_no < dominant else 1 + (class_no - dominant) % (sets - 1)


def fixture_names(set_no):
    return [f"set_{set_no:02d}_catalog", f"set_{set_no:02d}_orders"]


def split_counts(objects):
    """``{model: count}`` summing to ``objects`` (at least one of each)."""
    total = sum(share for _, share in SHARES)
    counts = {model: max(1, objects * share // total) for model, share in SHARES}
    counts["orderline"] = max(1, objects - sum(counts.values()) + counts["orderline"])
    return counts


def build_set(set_no, objects, seed=0):
    """Return ``(catalog, orders, facts)``: the two fixture lists and the
    numbers the tests of this set check."""
    rng = random.Random(f"{seed}-{set_no}")
    n = split_counts(objects)
    base = set_no * 100_000

    def pk(i):
        return base + i + 1

    def row(model, i, **fields):
        return {"model": f"shop.{model}", "pk": pk(i), "fields": fields}

    tag = f"s{set_no:02d}"
    categories = [row("category", i, code=f"{tag}-c{i:03d}", name=f"Category {i}")
                  for i in range(n["category"])]
    products = []
    for i in range(n["product"]):
        price = Decimal(rng.randint(100, 20_000)) / 100
        products.append(row("product", i, category=pk(i % n["category"]), sku=f"{tag}-p{i:04d}",
                            name=f"Product {i}", price=str(price), active=True))
    customers = [row("customer", i, email=f"c{i}@{tag}.example", name=f"Customer {i}")
                 for i in range(n["customer"])]
    orders = [row("order", i, customer=pk(i % n["customer"]), number=f"{tag}-o{i:04d}",
                  placed_at=f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}T10:00:00Z")
              for i in range(n["order"])]
    lines = [row("orderline", i, order=pk(i % n["order"]), product=pk(rng.randrange(n["product"])),
                 quantity=rng.randint(1, 9)) for i in range(n["orderline"])]

    customer_orders = {o["pk"] for o in orders if o["fields"]["customer"] == pk(0)}
    threshold = "100.00"
    cat_products = [p for p in products if p["fields"]["category"] == pk(0)]
    facts = {
        "products": len(products), "orderlines": len(lines),
        "cat_code": categories[0]["fields"]["code"], "cat_products": len(cat_products),
        "cust_email": customers[0]["fields"]["email"], "cust_orders": len(customer_orders),
        "cust_qty": sum(ln["fields"]["quantity"] for ln in lines
                        if ln["fields"]["order"] in customer_orders),
        "threshold": threshold,
        "expensive": sum(Decimal(p["fields"]["price"]) >= Decimal(threshold) for p in products),
        "order_number": orders[0]["fields"]["number"],
        "order_email": customers[0]["fields"]["email"],
        "order_lines": sum(ln["fields"]["order"] == pk(0) for ln in lines),
        "order_pk": pk(0), "product_pk": pk(0),
        "active_after": len(products) - len(cat_products),
    }
    return categories + products, customers + orders + lines, facts


def render_class(class_no, set_no, tests, facts, base_name, work=0):
    names = list(TEST_BODIES)
    lines = [
        f"\n\nclass Set{set_no:02d}Case{class_no:03d}Tests({base_name}):\n",
        f"    fixtures = {fixture_names(set_no)!r}\n",
    ]
    for t in range(tests):
        name = names[t % len(names)]
        suffix = f"_{t // len(names) + 1}" if tests > len(names) else ""
        lines.append(f"\n    def test_{name}{suffix}(self):\n")
        lines.append(TEST_BODIES[name].format(**facts))
        if work:
            lines.append(WORK.format(work=work))
    return "".join(lines)


def write_suite(project, classes, tests_per_class, sets, objects, per_module,
                testcase="nose_speedup.FastFixtureTestCase", seed=0, shape="balanced",
                plain=0, work=0):
    """Write fixtures and test modules; return the test module labels."""
    project = Path(project)
    fixtures_dir = project / "shop" / "fixtures"
    tests_dir = project / "shop" / "tests"
    fixtures_dir.mkdir(parents=True, exist_ok=True)
    tests_dir.mkdir(parents=True, exist_ok=True)
    (tests_dir / "__init__.py").write_text("")
    facts = {}
    for s in range(sets):
        catalog, orders, facts[s] = build_set(s, objects, seed)
        for name, data in zip(fixture_names(s), (catalog, orders)):
            (fixtures_dir / f"{name}.json").write_text(json.dumps(data, indent=1))
    base_module, base_name = testcase.rsplit(".", 1)
    labels = []
    for m, first in enumerate(range(0, classes, per_module), start=1):
        numbers = range(first, min(first + per_module, classes))
        body = MODULE_HEADER.format(count=len(numbers), base_module=base_module,
                                    base_name=base_name)
        for c in numbers:
            set_no = set_of(c, classes, sets, shape)
            body += render_class(c, set_no, tests_per_class, facts[set_no], base_name, work)
        (tests_dir / f"test_module_{m:02d}.py").write_text(body)
        labels.append(f"shop.tests.test_module_{m:02d}")
    if plain:
        body = MODULE_HEADER.format(count=plain, base_module=base_module, base_name=base_name)
        for number in range(plain):
            body += PLAIN_CLASS.format(
                number=number, base_name=base_name, work=WORK.format(work=work) if work else ""
            )
        (tests_dir / "test_plain.py").write_text(body)
        labels.append("shop.tests.test_plain")
    return labels
