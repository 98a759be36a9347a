"""``python -m chalicelib.local run|services``: see chalicelib.local.runner."""

import sys

from chalicelib.local.runner import main

sys.exit(main())
