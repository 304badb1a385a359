"""Merge durations files, e.g. the ones CI shards uploaded, into one::

    python -m nose_speedup.timing merge .nose-speedup/durations.json shard-*/durations.json

or predict the wall of a parallel run for N processes from them
(``nose_speedup.timing.simulate``)::

    python -m nose_speedup.timing simulate --workers 1,2,4,8 --settings mysite.settings

Each given file is merged into the first (created when missing) in the
order given, as the runs that wrote them would have merged them
(``nose_speedup.timing.store.merge``). Files that are not durations files
read as empty and change nothing.
"""

import argparse
import sys

from nose_speedup.timing import simulate, store


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nose_speedup.timing",
                                     description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    merge = commands.add_parser("merge", help="merge durations files into the first")
    merge.add_argument("target")
    merge.add_argument("sources", nargs="+")
    simulate.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "simulate":
        return simulate.run(args)
    for source in args.sources:
        durations = store.merge(args.target, store.read(source))
    print(f"{args.target}: {len(durations['tests'])} tests, {len(durations['classes'])} classes, "
          f"{len(durations['bundles'])} bundles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
