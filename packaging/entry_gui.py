"""Entry script of the frozen desktop application (``caseworker-app``, see caseworker.spec)."""

import sys

from caseworker_app.app import main

sys.exit(main())
