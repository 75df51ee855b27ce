"""The embedded default's Celery broker: kombu's filesystem transport, with messages written
atomically.

kombu's own ``_put`` creates the message file and only then writes into it. A worker polling the
folder in between moves the empty file away and fails to decode it (kombu issue #1551): the
worker process dies on ``JSONDecodeError`` and the message is lost. Under beat's sweeps every few
seconds (every second in the worker tests) that happens often enough to be seen. Here a message
is written under a name the consumers ignore and renamed into place, and a rename within one
folder is atomic: a consumer sees the whole message or none of it.

Selected by ``CELERY_BROKER_TRANSPORT`` when ``REDIS_URL`` is unset; production uses Redis.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# A file being written starts with this: kombu's consumers match "<stamp>_<uuid>.<queue>.msg"
# by the text after the first dot, which for ".<name>.part" never equals "<queue>.msg".
PARTIAL_PREFIX = "."
PARTIAL_SUFFIX = ".part"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue``: write it aside, then rename it into the queue."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"{PARTIAL_PREFIX}{name}{PARTIAL_SUFFIX}")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
