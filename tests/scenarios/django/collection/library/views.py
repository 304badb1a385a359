"""Not a test module: a view class the tests subclass."""


class ShelfViewSet:
    def get_queryset(self):
        from library.models import Shelf

        return Shelf.objects.all()
