import os

from celery import Celery
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")

app = Celery("oasis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The worker survives a broker that drops while a task runs (issue 10).
#
# With celery 5.7 / kombu 5.7 and redis-py 8, a worker whose Redis went away
# while it held an unacknowledged (acks_late) task died with "Unrecoverable
# error: AttributeError: 'NoneType' object has no attribute 'hostname'": on
# the connection error the consumer first collects the connection (which
# detaches the transport from it), then closes it, and closing the channel
# tries to put the unacknowledged task back into Redis through a connection
# pool built from the detached transport. Celery only ignores connection
# errors while it cleans up, so the AttributeError killed the main process
# and nothing restarted it. Here the missing transport is reported as what
# it is, a lost connection: the clean-up ignores it and the worker
# reconnects. The task stays in Redis's unacknowledged set, and Redis puts it
# back on the queue after the visibility timeout; tasks are idempotent, so
# running it again is safe. tests/oasis/test_worker_reconnects.py kills a
# real Redis under a running task.
_connparams = kombu_redis.Channel._connparams


def _connparams_of_a_live_transport(self, asynchronous=False):
    if self.connection.client is None:
        raise RedisConnectionError("the broker connection was closed after it was lost")
    return _connparams(self, asynchronous=asynchronous)


kombu_redis.Channel._connparams = _connparams_of_a_live_transport
