#!/usr/bin/env python3
"""Reference check of `getmycert irt fit` against girth's 2PL marginal maximum likelihood.

    pip install girth
    cargo build --release
    python3 scripts/irt-compare-girth.py

Simulates 3,000 persons answering 30 items with known parameters, fits both, and prints how far
the two estimates are from each other and from the truth. Not part of the test suite (it needs
Python packages); the Rust tests recover known parameters on their own.
"""
import numpy as np, json, subprocess, time, sys
from girth import twopl_mml
rng = np.random.default_rng(42)
n_items, n_persons = 30, 3000
a = rng.uniform(0.6, 2.0, n_items); b = rng.uniform(-2, 2, n_items)
theta = rng.standard_normal(n_persons)
p = 1/(1+np.exp(-a[:,None]*(theta[None,:]-b[:,None])))
data = (rng.random((n_items, n_persons)) < p).astype(int)
with open('/tmp/irt_resp.csv','w') as f:
    for j in range(n_persons):
        f.write(','.join(str(v) for v in data[:,j])+'\n')
t=time.time(); ref = twopl_mml(data); tref=time.time()-t
out = subprocess.run(['target/release/getmycert','irt','fit','--json','--responses','/tmp/irt_resp.csv'],capture_output=True,text=True)
ours = json.loads(out.stdout)
oa = np.array([i['a'] for i in ours['items']]); ob = np.array([i['b'] for i in ours['items']])
ra, rb = ref['Discrimination'], ref['Difficulty']
print(f"girth 2PL MML: {tref:.2f} s; ours: {ours['seconds']:.2f} s, {ours['iterations']} iterations, converged={ours['converged']}")
print(f"vs girth: max|Δa|={np.max(np.abs(oa-ra)):.3f} max|Δb|={np.max(np.abs(ob-rb)):.3f} corr a={np.corrcoef(oa,ra)[0,1]:.4f} corr b={np.corrcoef(ob,rb)[0,1]:.4f}")
print(f"vs truth: RMSE a ours={np.sqrt(np.mean((oa-a)**2)):.3f} girth={np.sqrt(np.mean((ra-a)**2)):.3f}; RMSE b ours={np.sqrt(np.mean((ob-b)**2)):.3f} girth={np.sqrt(np.mean((rb-b)**2)):.3f}")
