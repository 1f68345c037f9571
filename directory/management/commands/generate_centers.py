from django.core.management.base import BaseCommand, CommandError

from directory.generate import centers_generate, centers_generated_delete


class Command(BaseCommand):
    help = "Create N fictional published centers on real US ZIP codes, for benchmarks (bulk, fast)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many centers to add, e.g. 10000.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed, for repeatable data [0].")
        parser.add_argument(
            "--replace", action="store_true", help="Delete previously generated centers first (not others)."
        )

    def handle(self, *args, count: int, seed: int, replace: bool, **options):
        if count < 0:
            raise CommandError("count must be 0 or more.")
        if replace:
            self.stdout.write(f"Deleted {centers_generated_delete()} generated rows.")
        total = centers_generate(count=count, seed=seed)
        self.stdout.write(f"Generated centers: {total} (fictional, marked as demo data).")
