# plots.gp -- the PNGs of `make bench`; run in build/bench, where bench.c
# wrote throughput.dat, frontend.dat and frag.dat (one row per workload,
# one column per manager, names in the header row).
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key outside right top autotitle columnheader
set xtics nomirror rotate by -20
set grid ytics
set bmargin 5

set terminal pngcairo size 1400,1000 noenhanced font ",10"
set output 'throughput.png'
set multiplot layout 2,1
set title "Throughput of each manager's own alloc_pages/free_pages (host, -O2 -m32)"
set ylabel 'Mops/s (log scale)'
set logscale y
plot for [i=2:*] 'throughput.dat' using i:xtic(1)
set title 'The same through the kernel front end (pmm_guard checks, then the manager)'
plot for [i=2:*] 'frontend.dat' using i:xtic(1)
unset multiplot

set terminal pngcairo size 1400,520 noenhanced font ",10"
set output 'fragmentation.png'
set title 'Largest free block / free pages, steady state (higher is better)'
set ylabel 'fraction'
unset logscale y
set yrange [0:1.05]
plot for [i=2:*] 'frag.dat' using i:xtic(1)
