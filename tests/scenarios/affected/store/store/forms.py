from django import forms


class ProductForm(forms.Form):
    name = forms.CharField(max_length=50)
    price = forms.DecimalField()

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price <= 0:
            raise forms.ValidationError("A price must be positive.")
        return price
