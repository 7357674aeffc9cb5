# plot.gp -- the PNG of make bench-replace; run in build/bench with
# names='TRACE ...' (-e), where bench_replace wrote replace.dat: one block
# per trace, in the order of names, each a header row and one row per
# frame count (fault rate in percent per policy).
n = words(names)
cols = ceil(n / 2.0)
set terminal pngcairo size 480 * cols, 800 noenhanced font ",9"
set output 'replace.png'
set multiplot layout 2, cols title 'Page faults per reference vs frames (host replay)'
set logscale x 2
set xtics (16, 64, 256)
set xrange [12:340]
set ylabel 'fault rate (%)'
set xlabel 'frames'
set grid
set key top right
do for [i = 1:n] {
    set title word(names, i)
    plot for [c = 2:7] 'replace.dat' index (i - 1) using 1:c with linespoints \
        title columnheader(c)
}
unset multiplot
