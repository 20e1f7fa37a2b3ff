# isort: skip_file
"""Settings, split by concern. Everything comes from the environment; with no
environment at all the portal runs on the embedded default (SQLite, inline
tasks, console e-mail, media on local disk)."""

from .base import *  # noqa: F401,F403
from .infrastructure import *  # noqa: F401,F403
from .limits import *  # noqa: F401,F403
from .auth import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .legal import *  # noqa: F401,F403
from .api import *  # noqa: F401,F403
