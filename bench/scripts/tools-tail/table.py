import sys, subprocess, re, os
# table.py RUN_DIR...: one row per run directory written by run.sh
print('| run | load at start | fixed p50 / p99 / p99.9 (ms) | first record (ms) | steady p99 / p99.9 | e2e avg / p99 / p99.9 | broker pauses in fixed+e2e: n, total, max (ms) | broker CPU s fixed + e2e | broker RSS MiB | CPU pressure (% of phase) |')
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for t in sys.argv[1:]:
    f = subprocess.run(['python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'analyze.py'), t, 'fixed'], capture_output=True, text=True).stdout
    e = subprocess.run(['python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'analyze.py'), t, 'e2e'], capture_output=True, text=True).stdout
    s = open(f'{t}/summary.txt').read()
    g = lambda pat, txt: re.search(pat, txt).groups()
    p50, p99, p999, mx = g(r'fixed: n=\d+ p50=(\d+) p99=(\d+) p99.9=(\d+) max=(\d+)', f)
    sp99, sp999 = g(r'steady state .*? p99=(\d+) p99.9=(\d+)', f)
    avg = g(r'Avg latency: ([0-9.]+)', s)[0]
    _, e99, e999 = g(r'e2e: n=\d+ p50=(\d+) p99=(\d+) p99.9=(\d+)', e)
    bps = [g(r'broker (\d+) total (\d+) ms max ([0-9.]+)', x) for x in (f, e)]
    bn = sum(int(b[0]) for b in bps); bt = sum(int(b[1]) for b in bps); bm = max(float(b[2]) for b in bps)
    cf, ce, rss = g(r'cpu_s fixed ([0-9.]+) e2e ([0-9.]+) rss_mib (\d+)', s)
    load = g(r'^load ([0-9.]+)', s)[0]
    pr = [100 * int(a) / int(b) for b, a in re.findall(r'phase (\d+) ms: cpu pressure some (\d+) ms', s)]
    print(f'| {t} | {load} | {p50} / {p99} / {p999} | {mx} | {sp99} / {sp999} | {float(avg):.2f} / {e99} / {e999} | {bn}, {bt}, {bm:.0f} | {cf} + {ce} | {rss} | {" / ".join(f"{x:.0f}" for x in pr)} |')
