/*
 * cores.c - what the machine's cores are worth together: a loop of
 * integer arithmetic that touches no memory, timed by run.py alone and
 * then as one copy per core at once.  Virtual CPUs that share a
 * physical core's execution units (SMT siblings, or a host that gives a
 * guest less than it shows) make the copies run slower, and the
 * benchmark's wall times depend on that as much as on gongshi.
 *
 * Usage: cores [ITERATIONS]   (default 10^9); prints the checksum.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000000ULL, i, x = 1;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + i; /* a dependent chain: no vectorizing it away */
	printf("%llu\n", x);
	return 0;
}
