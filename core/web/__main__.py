"""`python -m core.web`: the ballot service on its own (the podium starts it so)."""

import sys

from core.web.serve import main

if __name__ == "__main__":
    sys.exit(main())
