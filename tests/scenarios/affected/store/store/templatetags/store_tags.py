from django import template

register = template.Library()


@register.filter
def money(value, currency):
    return f"{value} {currency}"
