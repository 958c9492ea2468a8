# analyze.py RUN_DIR [fixed|e2e]: lines up the slow records of a run.sh run with the safepoints (GC and other) of the
# tool JVM and the broker JVM, and splits the slow records into the tool's start-up transient and the rest.
import sys, re, datetime, os
D = sys.argv[1]; kind = sys.argv[2] if len(sys.argv) > 2 else 'fixed'
def pauses(path):
    out = []
    if not os.path.exists(path): return out
    for l in open(path):
        if '[safepoint' not in l or 'Total:' not in l: continue
        ts = l[1:29]
        end = datetime.datetime.strptime(ts, '%Y-%m-%dT%H:%M:%S.%f%z').timestamp() * 1000
        tot = int(re.search(r'Total: (\d+) ns', l).group(1)) / 1e6
        name = re.search(r'Safepoint "([^"]+)"', l).group(1)
        if tot >= 0.5: out.append((end - tot, end, tot, name))
    return out
rows = [tuple(map(int, l.split())) for l in open(f'{D}/{kind}.lat') if not l.startswith('#')]
n = len(rows); lat = sorted(r[1] for r in rows)
p50, p99, p999 = lat[n // 2], lat[int(n * .99)], lat[int(n * .999)]
t0 = rows[0][0]
# catch-up: first record sent on schedule (fixed only)
cu = 0
if kind == 'fixed':
    for i, (s, l) in enumerate(rows):
        if i > 0 and s - t0 <= i / 20 + 3: cu = i; break
tp = pauses(f'{D}/tool-{kind}-gc.log'); bp = pauses(f'{D}/broker-gc.log')
def overlap(ps, a, b): return sum(max(0, min(b, e) - max(a, s)) for s, e, _, _ in ps)
print(f'{D} {kind}: n={n} p50={p50} p99={p99} p99.9={p999} max={lat[-1]}; first record {rows[0][1]} ms; catch-up burst ends at record {cu} (sent {rows[cu][0]-t0 if cu else 0} ms after the first)')
end = rows[-1][0] + 100
print(f'  pauses during the run (>=0.5 ms safepoints): tool {len([p for p in tp if t0<=p[0]<=end])} total {sum(p[2] for p in tp if t0<=p[0]<=end):.0f} ms max {max([p[2] for p in tp if t0<=p[0]<=end] or [0]):.1f}; broker {len([p for p in bp if t0<=p[0]<=end])} total {sum(p[2] for p in bp if t0<=p[0]<=end):.0f} ms max {max([p[2] for p in bp if t0<=p[0]<=end] or [0]):.1f}')
cut = (rows[cu][0] if cu else t0) + 1000
if kind == 'fixed':
    a, b = t0, rows[cu][0] if cu else t0
    print(f'  transient window {b-a} ms (first send to end of catch-up): tool pauses {sum(overlap([p], a, b) for p in tp):.0f} ms (max {max([p[2] for p in tp if a<=p[1] and p[0]<=b] or [0]):.0f}), broker pauses {sum(overlap([p], a, b) for p in bp):.0f} ms (max {max([p[2] for p in bp if a<=p[1] and p[0]<=b] or [0]):.0f})')
st = sorted(l for s, l in rows if s >= cut)
if st and kind == 'fixed': print(f'  steady state (sent after the catch-up + 1 s, {len(st)} records): p50={st[len(st)//2]} p99={st[int(len(st)*.99)]} p99.9={st[int(len(st)*.999)]} max={st[-1]}')
for thr, name in ((p99, 'p99'), (p999, 'p99.9')):
    slow = [(i, s, l) for i, (s, l) in enumerate(rows) if l >= thr]
    inburst = [x for x in slow if x[0] == 0 or (cu and x[0] < cu) or x[1] - t0 < (rows[cu][0] - t0 if cu else 0) + 1000]
    steady = [x for x in slow if x not in inburst] if len(slow) < 20000 else []
    ex = sum(l - p50 for _, s, l in steady) or 1
    to = sum(min(l - p50, overlap(tp, s, s + l)) for _, s, l in steady)
    bo = sum(min(l - p50, overlap(bp, s, s + l)) for _, s, l in steady)
    print(f'  >= {name} ({thr} ms): {len(slow)} records; {len(inburst)} ({100*len(inburst)/len(slow):.0f}%) in the first record/catch-up burst + 1 s; '
          f'{len(steady)} later: of their excess over p50, tool pauses overlap {100*to/ex:.0f}%, broker pauses {100*bo/ex:.0f}%')
    if steady:
        import collections
        c = collections.Counter((s - t0) // 500 * 500 for _, s, l in steady)
        print('    later ones by 0.5 s window (ms after start: count):', sorted(c.items())[:12])
        for w, cnt in sorted(c.items(), key=lambda kv: -kv[1])[:4]:
            a, b = t0 + w, t0 + w + 600
            print(f'      window {w}: tool pauses {[(round(p[0]-t0), round(p[2],1), p[3]) for p in tp if a-100 <= p[0] <= b]} broker {[(round(p[0]-t0), round(p[2],1), p[3]) for p in bp if a-100 <= p[0] <= b]}')
