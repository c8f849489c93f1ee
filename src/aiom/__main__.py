from aiom.cli import main

main()
