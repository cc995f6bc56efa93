"""The control-flow graph and its dominators (sdkgate/static/cfg.py) on hand-assembled Dalvik code: a call
is gated only when every path from the method's entry passes a granted edge."""
from __future__ import annotations

from sdkgate.static.callsites import instruction_starts
from sdkgate.static.cfg import EXC, FALL, TAKEN, branch_targets, build_cfg, dominators, gated_blocks
from sdkgate.static.dexcode import Try
from sdkgate.static.gates import _decision


def cfg_of(units, tries=()):
    starts = instruction_starts(units)
    for p in starts:                      # the hand-assembled offsets land on instructions
        assert all(t in starts for t in branch_targets(units, p)), p
    return build_cfg(units, starts, list(tries)), starts


def block_of(cfg, starts, pos):
    return cfg.block_at[starts.index(pos)]


def test_early_return_branch_gates_what_follows():
    # 0 invoke-static check; 3 move-result v1; 4 if-eqz v1 -> 9; 6 invoke-static init; 9 return-void
    units = [0x1071, 0, 0, 0x010A, 0x0138, 5, 0x1071, 1, 0, 0x000E]
    cfg, starts = cfg_of(units)
    block, kind, neg = _decision(cfg, units, 1, 1)
    assert (kind, neg) == (FALL, False)                      # if-eqz jumps on "no": the fall-through agreed
    gated = gated_blocks(cfg, {(block, kind)})
    assert block_of(cfg, starts, 6) in gated
    assert block_of(cfg, starts, 9) not in gated             # the shared tail runs either way


def test_or_chain_is_gated_only_by_the_edge_that_depends_on_the_check():
    # if (DEBUG || agreed()) init();   0 sget-boolean v0; 2 if-nez v0 -> 10; 4 invoke check; 7 move-result v0;
    # 8 if-eqz v0 -> 13; 10 invoke init; 13 return-void
    units = [0x0063, 0, 0x0039, 8, 0x1071, 0, 0, 0x000A, 0x0038, 5, 0x1071, 1, 0, 0x000E]
    cfg, starts = cfg_of(units)
    block, kind, _neg = _decision(cfg, units, 3, 0)
    assert block_of(cfg, starts, 10) not in gated_blocks(cfg, {(block, kind)})
    # if (agreed() && other()) init(): both edges must be passed, and the check's one dominates
    units = [0x1071, 0, 0, 0x000A, 0x0038, 11, 0x1071, 2, 0, 0x000A, 0x0038, 5, 0x1071, 1, 0, 0x000E]
    cfg, starts = cfg_of(units)
    block, kind, _neg = _decision(cfg, units, 1, 0)
    assert block_of(cfg, starts, 12) in gated_blocks(cfg, {(block, kind)})


def test_exception_handler_is_reached_from_the_ungated_check_block():
    # try { if (!agreed()) return; init(); } catch (e) { init(); }
    # 0 invoke check; 3 move-result v0; 4 if-nez v0 -> 7; 6 return-void; 7 invoke init; 10 return-void;
    # 11 move-exception v1; 12 invoke init; 15 return-void
    units = [0x1071, 0, 0, 0x000A, 0x0039, 3, 0x000E, 0x1071, 1, 0, 0x000E, 0x010D, 0x1071, 1, 0, 0x000E]
    cfg, starts = cfg_of(units, [Try(0, 11, ((None, 11),))])
    assert any(kind == EXC for ss in cfg.succ for _s, kind in ss)
    block, kind, _neg = _decision(cfg, units, 1, 0)
    assert kind == TAKEN
    gated = gated_blocks(cfg, {(block, kind)})
    assert block_of(cfg, starts, 7) in gated
    assert block_of(cfg, starts, 12) not in gated


def test_a_materialised_boolean_is_threaded_to_its_side():
    # ok = agreed() && other(); if (ok) init();
    # 0 invoke check; 3 move-result v0; 4 if-eqz v0 -> 14; 6 invoke other; 9 move-result v0; 10 if-eqz v0 -> 14;
    # 12 const/4 v0, 1; 13 goto -> 15; 14 const/4 v0, 0; 15 if-eqz v0 -> 20; 17 invoke init; 20 return-void
    units = [0x1071, 0, 0, 0x000A, 0x0038, 10, 0x1071, 2, 0, 0x000A, 0x0038, 4, 0x1012, 0x0228, 0x0012,
             0x0038, 5, 0x1071, 1, 0, 0x000E]
    cfg, starts = cfg_of(units)
    block, kind, _neg = _decision(cfg, units, 1, 0)
    gated = gated_blocks(cfg, {(block, kind)})
    assert block_of(cfg, starts, 17) in gated
    assert block_of(cfg, starts, 20) not in gated


def test_packed_switch_edges_and_dominators():
    # 0 packed-switch v0 -> payload at 8; 3 invoke a; 6 return-void; 7 nop; 8 payload (2 targets: 3, 6)
    units = [0x002B, 8, 0, 0x1071, 0, 0, 0x000E, 0x0000, 0x0100, 2, 0, 0, 3, 0, 6, 0]
    cfg, starts = cfg_of(units)
    b0 = block_of(cfg, starts, 0)
    assert {s for s, _k in cfg.succ[b0]} == {block_of(cfg, starts, 3), block_of(cfg, starts, 6)}
    idom = dominators([[s for s, _k in ss] for ss in cfg.succ])
    assert idom[block_of(cfg, starts, 6)] == b0
