"""``python -m devstack run|services``: see devstack.runner."""

import sys

from devstack.runner import main

sys.exit(main())
