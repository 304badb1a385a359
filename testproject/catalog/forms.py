"""Query-string forms of the catalogue views; no database access, so they
are tested with ``SimpleTestCase``."""

from django import forms


class ProductFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)
    category = forms.SlugField(required=False)
    tag = forms.SlugField(required=False)
    min_price = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    max_price = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    available = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError("min_price must not exceed max_price.")
        return cleaned
