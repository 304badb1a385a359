import os

from django.core.management.commands import loaddata


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        path = os.environ.get("NSP_FIXTURE_LOAD_LOG")
        if path:
            with open(path, "a") as log:
                log.write(f"{options['database']} {' '.join(fixture_labels)}\n")
        path = os.environ.get("NSP_FIXTURE_LOAD_PID_LOG")  # the same, with the process id
        if path:
            with open(path, "a") as log:
                log.write(f"{os.getpid()} {options['database']} {' '.join(fixture_labels)}\n")
        return super().handle(*fixture_labels, **options)
