"""python -m symbackprop."""
from symbackprop.cli import main

raise SystemExit(main())
