//! CO004 `mandatory-order-cycle`: mandatory orderings (explicit ones, their
//! symmetrical reverse, and the implicit orderings inside groups) that form
//! a cycle. Pacemaker cannot schedule any action on the loop, so the
//! resources involved never start (or never stop).
//!
//! The graph is built at primitive level with actions: a reference to a
//! group or clone stands for every primitive in it, each primitive's start
//! precedes its promote and its demote precedes its stop. Strongly
//! connected components (Tarjan, iterative) give the cycles; one finding is
//! reported per cycle, the shortest loop through it shown as a path.

use crate::cib::{Order, ResourceId};
use crate::lint::{Context, Emitter};
use crate::xml::{ElemId, Span};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Action {
    Start,
    Stop,
    Promote,
    Demote,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "start" | "started" => Action::Start,
            "stop" | "stopped" => Action::Stop,
            "promote" | "promoted" => Action::Promote,
            "demote" | "demoted" => Action::Demote,
            _ => return None,
        })
    }
    fn inverse(self) -> Action {
        match self {
            Action::Start => Action::Stop,
            Action::Stop => Action::Start,
            Action::Promote => Action::Demote,
            Action::Demote => Action::Promote,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
            Action::Promote => "promote",
            Action::Demote => "demote",
        }
    }
}

/// Why an edge exists.
#[derive(Clone, Copy)]
struct Origin {
    source: Option<ElemId>,
    span: Span,
    /// The implied reverse of a symmetrical ordering.
    inverse: bool,
    /// Implied by a group (or by the resource's own action sequence).
    implicit: bool,
}

#[derive(Default)]
struct Graph {
    nodes: Vec<(ResourceId, Action)>,
    index: HashMap<(ResourceId, Action), usize>,
    adj: Vec<Vec<(usize, usize)>>, // (target node, origin index)
    origins: Vec<Origin>,
    seen_edges: HashSet<(usize, usize)>,
}

impl Graph {
    fn node(&mut self, r: ResourceId, a: Action) -> usize {
        if let Some(&i) = self.index.get(&(r, a)) {
            return i;
        }
        let i = self.nodes.len();
        self.nodes.push((r, a));
        self.index.insert((r, a), i);
        self.adj.push(Vec::new());
        i
    }
    fn edge(&mut self, from: usize, to: usize, origin: Origin) {
        if !self.seen_edges.insert((from, to)) {
            return;
        }
        let o = self.origins.len();
        self.origins.push(origin);
        self.adj[from].push((to, o));
    }
}

/// The primitives a reference to `id` stands for.
fn leaves(cx: &Context, id: ResourceId) -> Vec<ResourceId> {
    let cib = cx.cib;
    let r = cib.resource(id);
    if r.children.is_empty() {
        return vec![id];
    }
    cib.primitives_under(id)
}

/// The primitives a constraint reference stands for, cached by name.
fn expand<'e>(
    cx: &Context,
    cache: &mut HashMap<&'e str, Vec<ResourceId>>,
    name: &'e str,
) -> Vec<ResourceId> {
    cache
        .entry(name)
        .or_insert_with(|| {
            let mut v: Vec<ResourceId> = cx
                .resolve(name)
                .into_iter()
                .flat_map(|r| leaves(cx, r))
                .collect();
            v.sort();
            v.dedup();
            v
        })
        .clone()
}

pub fn check(cx: &Context, em: &mut Emitter) {
    let cib = cx.cib;
    let by_elem: HashMap<ElemId, &Order> = cib.orders.iter().map(|o| (o.elem, o)).collect();
    let mut g = Graph::default();
    let mut leaf_cache: HashMap<&str, Vec<ResourceId>> = HashMap::new();
    let mut resolved: HashMap<&str, Vec<ResourceId>> = HashMap::new();
    for e in cx.orders.iter().filter(|e| e.mandatory) {
        let (Some(fa), Some(ta)) = (
            Action::parse(&e.first_action),
            Action::parse(&e.then_action),
        ) else {
            continue;
        };
        let (symmetrical, all_required) = match (e.implicit, by_elem.get(&e.source)) {
            (true, _) => (true, true),
            (false, Some(o)) => (
                o.symmetrical.unwrap_or(true),
                o.require_all != Some(false) && o.sets.iter().all(|s| s.require_all != Some(false)),
            ),
            (false, None) => (true, true),
        };
        // "One of" orderings (require-all=false) never force a single
        // path; leave them out.
        if !all_required {
            continue;
        }
        if !e.implicit {
            let rf = resolved
                .entry(&e.first)
                .or_insert_with(|| cx.resolve(&e.first))
                .clone();
            let rt = resolved
                .entry(&e.then)
                .or_insert_with(|| cx.resolve(&e.then))
                .clone();
            // A resource ordered against itself is CO008's.
            if rf.iter().any(|r| rt.contains(r)) {
                continue;
            }
        }
        let firsts = expand(cx, &mut leaf_cache, &e.first);
        let thens = expand(cx, &mut leaf_cache, &e.then);
        let origin = Origin {
            source: Some(e.source),
            span: e.span,
            inverse: false,
            implicit: e.implicit,
        };
        for &f in &firsts {
            for &t in &thens {
                if f == t && e.implicit {
                    continue;
                }
                let a = g.node(f, fa);
                let b = g.node(t, ta);
                g.edge(a, b, origin);
                if symmetrical {
                    let a2 = g.node(t, ta.inverse());
                    let b2 = g.node(f, fa.inverse());
                    g.edge(
                        a2,
                        b2,
                        Origin {
                            inverse: true,
                            ..origin
                        },
                    );
                }
            }
        }
    }
    // Each resource's own sequence: start before promote, demote before stop.
    let n = g.nodes.len();
    for i in 0..n {
        let (r, a) = g.nodes[i];
        let next = match a {
            Action::Start => Action::Promote,
            Action::Demote => Action::Stop,
            _ => continue,
        };
        if let Some(&j) = g.index.get(&(r, next)) {
            let span = cx.span(cib.resource(r).elem);
            g.edge(
                i,
                j,
                Origin {
                    source: None,
                    span,
                    inverse: false,
                    implicit: true,
                },
            );
        }
    }

    let mut cycles: Vec<Vec<(usize, usize)>> = Vec::new();
    for comp in tarjan(&g.adj) {
        let members: HashSet<usize> = comp.iter().copied().collect();
        let self_loop = comp.len() == 1 && g.adj[comp[0]].iter().any(|&(t, _)| t == comp[0]);
        if comp.len() < 2 && !self_loop {
            continue;
        }
        // Start from a node an explicit forward edge leaves, if any.
        let start = comp
            .iter()
            .copied()
            .filter(|&v| {
                g.adj[v].iter().any(|&(t, o)| {
                    members.contains(&t) && !g.origins[o].inverse && !g.origins[o].implicit
                })
            })
            .min_by_key(|&v| g.nodes[v])
            .unwrap_or(comp[0]);
        if let Some(path) = shortest_cycle(&g, &members, start) {
            cycles.push(path);
        }
    }
    // Report forward cycles before the mirrored ones their symmetrical
    // reverses produce, and each set of constraints once.
    let uses_inverse = |c: &Vec<(usize, usize)>| c.iter().any(|&(_, o)| g.origins[o].inverse);
    let first_span = |c: &Vec<(usize, usize)>| {
        c.iter()
            .map(|&(_, o)| g.origins[o])
            .filter(|o| !o.implicit)
            .map(|o| o.span.start)
            .min()
            .unwrap_or(u32::MAX)
    };
    cycles.sort_by_key(|c| (uses_inverse(c), first_span(c)));
    let mut reported: HashSet<BTreeSet<ElemId>> = HashSet::new();
    for cycle in cycles {
        let key: BTreeSet<ElemId> = cycle
            .iter()
            .filter_map(|&(_, o)| {
                let or = g.origins[o];
                if or.implicit {
                    None
                } else {
                    or.source
                }
            })
            .collect();
        if key.is_empty() || !reported.insert(key) {
            continue;
        }
        report(cx, em, &g, &cycle);
    }
}

/// The shortest path from `start` back to itself inside one component, as
/// (node, origin of the edge leaving it) steps.
fn shortest_cycle(
    g: &Graph,
    members: &HashSet<usize>,
    start: usize,
) -> Option<Vec<(usize, usize)>> {
    let mut prev: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut visited = HashSet::from([start]);
    let mut closing = None;
    'bfs: while let Some(v) = queue.pop_front() {
        for &(t, o) in &g.adj[v] {
            if !members.contains(&t) {
                continue;
            }
            if t == start {
                closing = Some((v, o));
                break 'bfs;
            }
            if visited.insert(t) {
                prev.insert(t, (v, o));
                queue.push_back(t);
            }
        }
    }
    let (last, last_o) = closing?;
    let mut steps = vec![(last, last_o)];
    let mut cur = last;
    while cur != start {
        let &(p, o) = prev.get(&cur)?;
        steps.push((p, o));
        cur = p;
    }
    steps.reverse();
    Some(steps)
}

fn report(cx: &Context, em: &mut Emitter, g: &Graph, cycle: &[(usize, usize)]) {
    let cib = cx.cib;
    let show = |v: usize| {
        let (r, a) = g.nodes[v];
        format!("{} `{}`", a.name(), cib.resource(r).id)
    };
    let mut path: Vec<String> = cycle.iter().map(|&(v, _)| show(v)).collect();
    if let Some(&(v, _)) = cycle.first() {
        path.push(show(v));
    }
    const MAX: usize = 12;
    let path_text = if path.len() > MAX {
        format!(
            "{} → … → {}",
            path[..MAX - 1].join(" → "),
            path[path.len() - 1]
        )
    } else {
        path.join(" → ")
    };
    let explicit: Vec<Origin> = cycle
        .iter()
        .map(|&(_, o)| g.origins[o])
        .filter(|o| !o.implicit)
        .collect();
    let Some(main) = explicit
        .iter()
        .find(|o| !o.inverse)
        .or(explicit.first())
        .copied()
    else {
        return;
    };
    let main_id = main.source.map(|s| cx.elem_id(s)).unwrap_or_default();
    let mut d = em
        .diag(main.span, {
            // The constraints that make the loop: what to change.
            let (mut ids, mut groups): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
            for &(_, o) in cycle {
                let Some(s) = g.origins[o].source else {
                    continue;
                };
                let list = if cib.doc.get(s).name == "group" {
                    &mut groups
                } else {
                    &mut ids
                };
                let id = cx.elem_id(s);
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            let groups = match groups.len() {
                0 => String::new(),
                1 => format!(", and group {}", crate::lint::id_list(&groups)),
                _ => format!(", and groups {}", crate::lint::id_list(&groups)),
            };
            format!(
                "mandatory orderings form a cycle: {path_text} (through {}{groups})",
                crate::lint::id_list(&ids)
            )
        })
        .label(if main.inverse {
            format!("the symmetrical reverse of `{main_id}`")
        } else {
            format!("`{main_id}` is part of the loop")
        });
    let mut labelled = HashSet::from([main.span.start]);
    for &(v, o) in cycle {
        let or = g.origins[o];
        if !labelled.insert(or.span.start) {
            continue;
        }
        let step = {
            let to = cycle
                .iter()
                .position(|&(x, _)| x == v)
                .and_then(|i| cycle.get((i + 1) % cycle.len()))
                .map(|&(x, _)| show(x))
                .unwrap_or_default();
            format!("{} → {to}", show(v))
        };
        let text = match (or.implicit, or.inverse, or.source) {
            (true, _, Some(s)) if cib.doc.get(s).name == "group" => {
                format!("group `{}`: {step}", cx.elem_id(s))
            }
            (true, _, _) => format!("{step} (the resource's own sequence)"),
            (false, true, Some(s)) => format!("reverse of `{}`: {step}", cx.elem_id(s)),
            (false, _, Some(s)) => format!("`{}`: {step}", cx.elem_id(s)),
            (false, _, None) => step,
        };
        d = d.with_label(or.span, text);
    }
    let help = format!(
        "Pacemaker cannot schedule any action on the loop, so these resources cannot start or stop; \
         remove or reverse one of the orderings (`pcs constraint remove {main_id}` or `crm configure delete {main_id}`), \
         or make it `symmetrical=\"false\"` if only its start ordering was meant"
    );
    em.push(d.help(help).element(main_id));
}

/// Strongly connected components, iteratively (no recursion depth limit).
fn tarjan(adj: &[Vec<(usize, usize)>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = call.last_mut() {
            if *i < adj[v].len() {
                let (w, _) = adj[v][*i];
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
    }
    out
}
