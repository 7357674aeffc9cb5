# plots.gp -- the PNGs of `make bench`; run in build/bench, where bench.c
# wrote throughput.dat and frag.dat (one row per workload, one column per
# manager, names in the header row).
set terminal pngcairo size 1100,520 noenhanced font ",10"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key top left autotitle columnheader
set xtics nomirror rotate by -15
set grid ytics

set output 'throughput.png'
set title 'Page allocators on the same traces: throughput (host, -O2 -m32)'
set ylabel 'Mops/s (log scale)'
set logscale y
plot for [i=2:*] 'throughput.dat' using i:xtic(1)

set output 'fragmentation.png'
set title 'Largest free block / free pages, steady state (higher is better)'
set ylabel 'fraction'
unset logscale y
set yrange [0:1.05]
plot for [i=2:*] 'frag.dat' using i:xtic(1)
