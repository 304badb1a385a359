"""Sign-up form. Emails are compared case-insensitively in Python-visible
code rather than relying on the database collation, which differs between
PostgreSQL (case-sensitive) and MariaDB (case-insensitive)."""

from django import forms

from orders.models import Customer


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["email", "first_name", "last_name", "city"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        taken = Customer.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("A customer with this email already exists.")
        return email

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip().title()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip().title()
