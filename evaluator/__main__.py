from evaluator.cli.main import main

raise SystemExit(main())
