"""Where a request's time goes, in process: cProfile over Django's test client. For bench/run.py.

    profile_page.py PATH... [--member | --user NAME] [--requests N] [--top N]

Runs the whole middleware stack and view in this process (no gunicorn, no sockets), so the
figures are the app's own cost per request. Prints the mean time per request for /healthz and
for each PATH, then, for each PATH, the functions where its time goes.
"""

import argparse
import cProfile
import io
import os
import pstats
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--member", action="store_true", help="log in as the demo member first")
    parser.add_argument("--user", help="log in as this user first (e.g. secretary)")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    username = args.user or ("member" if args.member else None)
    if username:
        client.force_login(get_user_model().objects.get(username=username))

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200.")
        response.getvalue()  # read a streamed file to the end, as a server would

    def mean_ms(path: str) -> tuple[float, float]:
        for _ in range(20):  # warm templates, connections and caches
            get(path)
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            get(path)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return wall * 1000 / args.requests, cpu * 1000 / args.requests

    # CPU time is this process's own: on a busy machine it moves less than the wall time,
    # which also holds the database's answers and the waits for a core.
    print("In-process mean time per request, without profiling (wall, this process's CPU):")
    for path in ["/healthz", *args.paths]:
        wall, cpu = mean_ms(path)
        print(f"  {wall:8.2f} ms  {cpu:8.2f} ms CPU  {path}")

    for path in args.paths:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            get(path)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
            stats.print_stats(args.top)
            print(f"\n--- {path}: {args.requests} requests under cProfile, by {order} ---")
            print(out.getvalue().strip("\n"))


if __name__ == "__main__":
    main()
