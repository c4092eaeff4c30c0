#!/usr/bin/env python3
"""Writes the Cedar engine benchmark workloads (Cedar integration-test format) into workloads/.

Deterministic (fixed seed). Expected decisions are NOT computed here: the files are written with
"decision": null and `dotnet run -c Release --project bench/Mandate.Bench -- expect FILE` fills in
decision/reason/errors from our engine; bench/cedar/run.sh then has the reference (cedar-wasm)
report how many of those it disagrees with.

  python3 bench/cedar/generate.py            # writes bench/cedar/workloads/*
"""
import json
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workloads")
SEED = 20261128

USERS, GROUPS, AGENTS, SERVERS, TOOLS = 1000, 20, 5000, 50, 1000
ENDPOINTS = 10000 - USERS - GROUPS - AGENTS - SERVERS - TOOLS  # 10,000 entities in all
TOP_GROUPS = 4
REQUESTS = 200
INTENTS = ["summarise inbox", "pay invoice", "triage tickets", "admin rotate keys", "exfiltrate", "book travel"]
TOOL_NAMES = ["search", "read_file", "write_file", "shell", "exec", "http_get", "send_mail", "pay"]
METHODS = ["GET", "GET", "GET", "POST", "DELETE"]

SCHEMA = """\
entity User;
entity Group in [Group];
entity Agent in [Group] { owner: User, trust: Long };
entity McpServer;
entity Tool in [McpServer] { risk: Long, tags: Set<String> };
entity Endpoint in [Tool] { method: String, path: String };

type Session = { intent: String, calls: Long, tools_used: Set<String> };
type Delegation = { depth: Long, user: User };
type Args = { amount: Long, target: String };
type Risk = { score: Long };
type AgentContext = { session: Session, delegation: Delegation, args: Args, risk: Risk };

action call, read appliesTo { principal: [Agent], resource: [Tool, Endpoint], context: AgentContext };
"""


def group_of_agent(a):  # leaf groups only
    return TOP_GROUPS + a % (GROUPS - TOP_GROUPS)


def server_of_tool(t):
    return t % SERVERS


def server_of_group(g):  # the server a group's agents may call
    return (g * 3) % SERVERS


def entities(rng):
    out = []
    uid = lambda t, i: {"type": t, "id": i}
    for u in range(USERS):
        out.append({"uid": uid("User", f"u{u}"), "attrs": {}, "parents": []})
    for g in range(GROUPS):
        parents = [] if g < TOP_GROUPS else [uid("Group", f"g{g % TOP_GROUPS}")]
        out.append({"uid": uid("Group", f"g{g}"), "attrs": {}, "parents": parents})
    for a in range(AGENTS):
        out.append({"uid": uid("Agent", f"a{a}"),
                    "attrs": {"owner": {"__entity": uid("User", f"u{a % USERS}")}, "trust": rng.randrange(0, 10)},
                    "parents": [uid("Group", f"g{group_of_agent(a)}")]})
    for s in range(SERVERS):
        out.append({"uid": uid("McpServer", f"s{s}"), "attrs": {}, "parents": []})
    for t in range(TOOLS):
        tags = sorted(rng.sample(["destructive", "network", "pii", "finance", "readonly"], rng.randrange(0, 3)))
        out.append({"uid": uid("Tool", f"t{t}"), "attrs": {"risk": rng.randrange(0, 10), "tags": tags},
                    "parents": [uid("McpServer", f"s{server_of_tool(t)}")]})
    for e in range(ENDPOINTS):
        out.append({"uid": uid("Endpoint", f"e{e}"),
                    "attrs": {"method": METHODS[e % len(METHODS)], "path": f"/v1/things/{e}"},
                    "parents": [uid("Tool", f"t{e % TOOLS}")]})
    assert len(out) == 10000
    return out


# The general rules every workload shares (30 policies): guard-rails (forbids) and role rules.
def general_rules():
    p = []
    p.append('forbid(principal, action, resource) when { context.risk.score >= 90 };')
    p.append('forbid(principal, action == Action::"call", resource) when { context.session.calls > 100 };')
    p.append('forbid(principal, action, resource) when { context.delegation.depth > 3 };')
    p.append('forbid(principal is Agent, action == Action::"call", resource is Tool)\n'
             '  when { resource.tags.contains("destructive") && !(context.session.intent like "admin *") };')
    p.append('forbid(principal, action, resource)\n'
             '  when { context.session.tools_used.containsAny(["shell", "exec"]) && context.risk.score > 50 };')
    p.append('forbid(principal, action == Action::"call", resource is Endpoint)\n'
             '  when { resource.method == "DELETE" && context.delegation.user != principal.owner };')
    p.append('forbid(principal, action, resource) when { context.session.intent == "exfiltrate" };')
    p.append('forbid(principal, action == Action::"call", resource)\n'
             '  when { context.args.amount > 10000 && !(principal in Group::"g0") };')
    p.append('permit(principal is Agent, action == Action::"read", resource is Tool) when { principal.trust >= resource.risk };')
    p.append('permit(principal is Agent, action == Action::"read", resource is Endpoint)\n'
             '  when { resource.method == "GET" && context.risk.score < 70 };')
    for s in range(10):  # per-server maintenance windows: calls to these servers need a low risk score
        p.append(f'forbid(principal, action == Action::"call", resource in McpServer::"s{s * 5}")\n'
                 f'  unless {{ context.risk.score < 30 || principal in Group::"g1" }};')
    for s in range(10):  # per-server finance rule
        p.append(f'forbid(principal, action == Action::"call", resource in McpServer::"s{s * 5 + 1}")\n'
                 f'  when {{ context.args.target like "*external*" && context.delegation.depth > 1 }};')
    return p


def group_rule(g):
    return (f'permit(principal in Group::"g{g}", action == Action::"call", resource in McpServer::"s{server_of_group(g)}")\n'
            f'  when {{ context.risk.score < 60 && context.delegation.depth <= 2 }};')


def agent_tool_rule(a, t):
    return (f'permit(principal == Agent::"a{a}", action == Action::"call", resource == Tool::"t{t}")\n'
            f'  when {{ context.risk.score < 60 && context.delegation.depth <= 2 }};')


def tools_of_server(s):
    return [t for t in range(s, TOOLS, SERVERS)]


def context(rng, a):
    risky = rng.random() < 0.2
    return {
        "session": {"intent": rng.choice(INTENTS), "calls": rng.randrange(0, 120),
                    "tools_used": sorted(rng.sample(TOOL_NAMES, rng.randrange(0, 4)))},
        "delegation": {"depth": rng.randrange(0, 5) if risky else rng.randrange(0, 3),
                       "user": {"__entity": {"type": "User", "id": f"u{a % USERS if rng.random() < 0.8 else rng.randrange(USERS)}"}}},
        "args": {"amount": rng.randrange(0, 12000) if risky else rng.randrange(0, 2000),
                 "target": rng.choice(["internal://ledger", "https://external.example/api", "internal://crm"])},
        "risk": {"score": rng.randrange(0, 100) if risky else rng.randrange(0, 60)},
    }


def request(rng, a, action, rtype, rid):
    return {"principal": {"type": "Agent", "id": f"a{a}"}, "action": {"type": "Action", "id": action},
            "resource": {"type": rtype, "id": rid}, "context": context(rng, a),
            "decision": None, "reason": [], "errors": []}


def pick_resource(rng, server, prefer_tool):
    t = rng.choice(tools_of_server(server))
    if prefer_tool or rng.random() < 0.5:
        return "Tool", f"t{t}"
    es = [e for e in range(t, ENDPOINTS, TOOLS)]
    return ("Endpoint", f"e{rng.choice(es)}") if es else ("Tool", f"t{t}")


def agent_requests(rng):
    reqs = []
    for _ in range(REQUESTS):
        a = rng.randrange(AGENTS)
        own = server_of_group(group_of_agent(a))
        server = own if rng.random() < 0.7 else rng.randrange(SERVERS)
        action = "call" if rng.random() < 0.75 else "read"
        rtype, rid = pick_resource(rng, server, False)
        reqs.append(request(rng, a, action, rtype, rid))
    return reqs


def spread(rng, n):
    """n policies: the 30 general rules plus n-30 per-(agent, tool) specialisations of the group rule."""
    pol = general_rules()
    pairs = []
    for j in range(n - len(pol)):
        a = j % AGENTS
        tools = tools_of_server(server_of_group(group_of_agent(a)))
        pairs.append((a, tools[(j // AGENTS) % len(tools)]))
    pol += [agent_tool_rule(a, t) for a, t in pairs]
    reqs = []
    for _ in range(REQUESTS):
        if rng.random() < 0.7:
            a, t = rng.choice(pairs)
            rtype, rid = "Tool", f"t{t}"
            action = "call"
        else:
            a = rng.randrange(AGENTS)
            action = "call" if rng.random() < 0.75 else "read"
            rtype, rid = pick_resource(rng, rng.randrange(SERVERS), False)
        reqs.append(request(rng, a, action, rtype, rid))
    return pol, reqs


def write(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


def write_test(name, policies_file, policies, reqs, description):
    write(policies_file, "\n\n".join(policies) + "\n")
    test = {"description": description, "policies": policies_file, "entities": "entities.json",
            "schema": "agents.cedarschema", "shouldValidate": True, "requests": reqs}
    write(name, json.dumps(test, indent=1) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(SEED)
    write("agents.cedarschema", SCHEMA)
    write("entities.json", json.dumps(entities(rng), separators=(",", ":")) + "\n")
    agent_policies = general_rules() + [group_rule(g) for g in range(GROUPS)]
    write_test("agent.json", "agent.cedar", agent_policies, agent_requests(rng),
               f"(a) agent-shaped: {len(agent_policies)} policies, 10,000 entities, {REQUESTS} requests")
    for n in (100, 1000, 10000):
        pol, reqs = spread(rng, n)
        write_test(f"spread-{n}.json", f"spread-{n}.cedar", pol, reqs,
                   f"(b) the same rules spread over {n} policies (per-agent, per-tool permits)")


if __name__ == "__main__":
    main()
