"""python -m symbackprop."""
from .cli import main

raise SystemExit(main())
