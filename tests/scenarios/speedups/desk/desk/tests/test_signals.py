import asyncio
import gc

import django
from django.conf import settings
from django.db.models.signals import post_save
from django.test import TestCase, override_settings

from desk.models import CALLS, Note, note_filed, note_filed_async, note_saved
from desk.report import record
from nose_speedup.signals import suspendingreceiver

EVERY_RECEIVER = {"note_saved": 1, "pre_save": 1, "connected_twice": 1}
# Django runs asynchronous receivers from Signal.send since 5.0.
ASYNC_RECEIVERS = django.VERSION >= (5, 0)


def file_a_note():
    if ASYNC_RECEIVERS:
        note_filed.send(sender=None)


class RunDefaultTests(TestCase):
    """Follows the run-wide default: reports which receivers ran."""

    def test_saving_a_note(self):
        CALLS.clear()
        Note.objects.create(text="x")
        file_a_note()
        record("default_calls", dict(CALLS))
        record("suspend_signals_setting", getattr(settings, "SUSPEND_SIGNALS", None))


@override_settings(SUSPEND_SIGNALS=False)
class ReceiverOwnTests(TestCase):
    """The receivers' own tests switch them back on for the class."""

    def setUp(self):
        CALLS.clear()

    def test_each_receiver_runs_once_for_its_sender(self):
        note = Note.objects.create(text="x")
        self.assertEqual(dict(CALLS), EVERY_RECEIVER)
        note.delete()
        self.assertEqual(CALLS["post_delete"], 1)

    @override_settings(SUSPEND_SIGNALS=True)
    def test_a_test_can_suspend_them(self):
        Note.objects.create(text="x")
        file_a_note()
        self.assertEqual(dict(CALLS), {})

    def test_calling_the_function_directly_always_runs_it(self):
        with self.settings(SUSPEND_SIGNALS=True):
            note_saved(sender=Note, instance=None, created=True)
        self.assertEqual(CALLS["note_saved"], 1)

    def test_disconnect_by_function_as_with_receiver(self):
        disconnected = post_save.disconnect(note_saved, sender=Note, dispatch_uid="desk.note_saved")
        self.assertTrue(disconnected)
        try:
            Note.objects.create(text="x")
            self.assertNotIn("note_saved", CALLS)
        finally:
            suspendingreceiver(post_save, sender=Note, dispatch_uid="desk.note_saved")(note_saved)

    def test_disconnect_without_dispatch_uid(self):
        def local(sender, **kwargs):
            CALLS["local"] += 1

        suspendingreceiver(post_save, sender=Note)(local)
        self.assertTrue(post_save.disconnect(local, sender=Note))
        Note.objects.create(text="x")
        self.assertNotIn("local", CALLS)

    def test_weak_receiver_goes_with_its_function(self):
        def weak(sender, **kwargs):
            CALLS["weak"] += 1

        def strong(sender, **kwargs):
            CALLS["strong"] += 1

        suspendingreceiver(post_save, sender=Note)(weak)
        suspendingreceiver(post_save, sender=Note, weak=False)(strong)
        strong_key = id(strong)  # the key Django gives a function: see nose_speedup.signals
        del weak, strong
        gc.collect()
        try:
            Note.objects.create(text="x")
            self.assertNotIn("weak", CALLS)
            self.assertEqual(CALLS["strong"], 1)
        finally:
            self.assertTrue(post_save.disconnect(sender=Note, dispatch_uid=strong_key))

    def test_async_receiver(self):
        file_a_note()
        self.assertEqual(CALLS["note_filed_async"], 1 if ASYNC_RECEIVERS else 0)
        wrapper = note_filed_async.suspendable_receiver
        self.assertTrue(asyncio.iscoroutinefunction(wrapper))
        with self.settings(SUSPEND_SIGNALS=True):
            self.assertIsNone(asyncio.run(wrapper(sender=None)))
        asyncio.run(wrapper(sender=None))
        self.assertEqual(CALLS["note_filed_async"], 2 if ASYNC_RECEIVERS else 1)

    def test_bound_method_is_refused_with_a_message(self):
        with self.assertRaisesMessage(TypeError, "decorate a plain function"):
            suspendingreceiver(post_save)(CALLS.clear)


@override_settings(SUSPEND_SIGNALS=True)
class SuspendedClassTests(TestCase):
    def test_no_receiver_runs(self):
        CALLS.clear()
        Note.objects.create(text="x")
        self.assertEqual(dict(CALLS), {})
