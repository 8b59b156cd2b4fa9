# real-dict.pl - the Perl twin of real-dict.py for t-real-perl: 40 steps,
# each adding 10000 entries to a hash, printing a summary that does not
# depend on Perl's per-process hash order, and sleeping 0.1 s.
use strict;
use warnings;
use Time::HiRes qw(sleep);

$| = 1;
my %d;
my $total = 0;
for my $step (0 .. 39) {
	my $base = $step * 10000;
	for my $i ($base .. $base + 9999) {
		$d{$i} = "v" . ($i * $i % 1000003);
		$total = ($total * 31 + $i * $i) % 1000000007;
	}
	my $s = -1;
	if ($step % 8 == 7) {
		$s = 0;
		$s += length($_) for values %d;
	}
	printf "step %d entries %d total %d lengths %d\n", $step,
	    scalar(keys %d), $total, $s;
	sleep(0.1);
}
my $sum = 0;
$sum = ($sum + substr($_, 1)) % 999983 for values %d;
printf "done %d %d\n", scalar(keys %d), $sum;
