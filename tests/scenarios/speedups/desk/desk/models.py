import collections

from django.contrib.auth.models import User
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from nose_speedup.signals import suspendingreceiver

# Receiver name -> calls, cleared by the tests.
CALLS = collections.Counter()
note_filed = Signal()


class Note(models.Model):
    text = models.CharField(max_length=100)


@suspendingreceiver(post_save, sender=Note, dispatch_uid="desk.note_saved")
def note_saved(sender, instance, created, **kwargs):
    CALLS["note_saved"] += 1


@suspendingreceiver(post_save, sender=Note, dispatch_uid="desk.note_saved")
def same_dispatch_uid(sender, **kwargs):
    CALLS["same_dispatch_uid"] += 1


@suspendingreceiver([pre_save, post_delete], sender=Note)
def note_pre_save_or_deleted(sender, signal, **kwargs):
    CALLS["pre_save" if signal is pre_save else "post_delete"] += 1


@suspendingreceiver(post_save, sender=User)
def user_saved(sender, **kwargs):
    CALLS["user_saved"] += 1


def connected_twice(sender, **kwargs):
    CALLS["connected_twice"] += 1


suspendingreceiver(post_save, sender=Note)(connected_twice)
suspendingreceiver(post_save, sender=Note)(connected_twice)


@suspendingreceiver(note_filed)
async def note_filed_async(sender, **kwargs):
    CALLS["note_filed_async"] += 1
