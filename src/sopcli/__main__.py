from sopcli.cli import main

main()
