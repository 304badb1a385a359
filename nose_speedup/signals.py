"""Signal receivers that tests can switch off: ``@suspendingreceiver``.

A drop-in for Django's ``@receiver``, with the same arguments (a signal or a
list of signals, ``sender``, ``weak``, ``dispatch_uid``)::

    from django.db.models.signals import post_save
    from nose_speedup.signals import suspendingreceiver

    @suspendingreceiver(post_save, sender=Order, dispatch_uid="orders.notify")
    def notify_warehouse(sender, instance, created, **kwargs):
        ...

The receiver does nothing while the ``SUSPEND_SIGNALS`` setting is true
(it is read at each call, so ``@override_settings`` works):

* the run-wide default: ``SUSPEND_SIGNALS = True`` in the test settings, or
  the speedups plugin's ``--suspend-signals`` (``suspend-signals = True``
  in ``[speedups]``; ``"suspend-signals"`` in ``NOSE_SPEEDUPS``);
* a class or a test that needs the receiver (its own tests, say) turns it
  back on with ``@override_settings(SUSPEND_SIGNALS=False)``, and one that
  must not run it turns it off with ``@override_settings(SUSPEND_SIGNALS=True)``.

The decorated name stays the function itself, as with ``@receiver``: calling
it directly always runs it. What is connected is a small wrapper kept alive
by the function (``function.suspendable_receiver``), under the same lookup
key Django would give the function, so ``signal.disconnect(function)``,
``weak=True`` (the receiver goes when the function goes) and connecting the
same function twice behave exactly as with ``@receiver``. Asynchronous
receivers get an asynchronous wrapper. Only plain functions can be decorated
(as ``@receiver`` is used); a bound method is refused with a message.
"""

import functools
import inspect

from django.conf import settings
from django.dispatch import receiver as django_receiver

SETTING = "SUSPEND_SIGNALS"


def signals_suspended():
    """Whether ``@suspendingreceiver`` receivers do nothing right now."""
    return bool(getattr(settings, SETTING, False))


def _lookup_id(target):
    """The id Django's ``Signal.connect`` keys a receiver on when no
    ``dispatch_uid`` is given (``django.dispatch.dispatcher._make_id``,
    unchanged from Django 4.2 to 6.0), so the wrapper is found, deduplicated
    and disconnected under the function's own key."""
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


def _suspendable(function):
    """The wrapper connected in ``function``'s place, made once per function."""
    existing = getattr(function, "suspendable_receiver", None)
    if existing is not None:
        return existing
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def wrapper(*args, **kwargs):
            if signals_suspended():
                return None
            return await function(*args, **kwargs)

    else:

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if signals_suspended():
                return None
            return function(*args, **kwargs)

    try:
        # The function keeps its wrapper alive: with weak=True the signal
        # holds only a weak reference to the wrapper, which must live exactly
        # as long as the function does.
        function.suspendable_receiver = wrapper
    except AttributeError:
        raise TypeError(
            f"suspendingreceiver: cannot decorate {function!r}, which takes no attributes "
            "(a bound method?); decorate a plain function, as with @receiver"
        ) from None
    return wrapper


def suspendingreceiver(signal, **kwargs):
    """``@receiver(signal, **kwargs)`` whose receiver does nothing while
    ``settings.SUSPEND_SIGNALS`` is true."""

    def decorator(function):
        wrapper = _suspendable(function)
        options = dict(kwargs)
        if not options.get("dispatch_uid"):
            options["dispatch_uid"] = _lookup_id(function)
        django_receiver(signal, **options)(wrapper)
        return function

    return decorator
