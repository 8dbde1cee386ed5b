from canal.cli import main

main()
