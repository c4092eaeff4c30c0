using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// Turns a parsed <see cref="SchemaFragment"/> into a <see cref="CedarSchema"/>, applying Cedar
/// 4's name resolution. An unqualified name <c>N</c> written in namespace <c>NS</c> means, in
/// order: common type <c>NS::N</c>, entity type <c>NS::N</c>, common type <c>N</c> in the empty
/// namespace, entity type <c>N</c> in the empty namespace, then the built-in <c>N</c>
/// (<c>Bool</c>, <c>Long</c>, <c>String</c>, extension types). A qualified name is taken as
/// written; <c>__cedar::N</c> always means the built-in. Collects every error it finds.
/// </summary>
internal sealed class SchemaResolver
{
    private readonly string _fileName;
    private readonly List<SchemaDiagnostic> _diagnostics;
    private readonly Dictionary<string, (CommonTypeDecl Decl, string Ns)> _commonDecls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CedarType?> _commonResolved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _commonInProgress = new(StringComparer.Ordinal);
    private readonly HashSet<string> _entityNames = new(StringComparer.Ordinal);
    private readonly HashSet<EntityUid> _actionUids = [];

    private SchemaResolver(string fileName, List<SchemaDiagnostic> diagnostics)
    {
        _fileName = fileName;
        _diagnostics = diagnostics;
    }

    /// <summary>Resolves <paramref name="fragment"/>; null when any error was reported.</summary>
    public static CedarSchema? Resolve(SchemaFragment fragment, string fileName, List<SchemaDiagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        var schema = new SchemaResolver(fileName, diagnostics).Run(fragment);
        return diagnostics.Count == before ? schema : null;
    }

    private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "::" + name;

    private static readonly HashSet<string> ReservedCommonNames =
        new(["Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String"], StringComparer.Ordinal);

    private CedarSchema Run(SchemaFragment fragment)
    {
        var seenNs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ns in fragment.Namespaces)
        {
            if (!seenNs.Add(ns.Name)) Report(SchemaErrorCodes.Duplicate, $"namespace `{ns.Name}` is declared twice", ns.Pos);
            if (ns.Name.Split("::").Contains("__cedar")) Report(SchemaErrorCodes.Invalid, $"`{ns.Name}` uses the reserved namespace `__cedar`", ns.Pos);
            foreach (var c in ns.CommonTypes)
            {
                if (ReservedCommonNames.Contains(c.Name))
                {
                    Report(SchemaErrorCodes.Invalid, $"`{c.Name}` is reserved and cannot be the name of a common type", c.Pos);
                }
                var q = Qualify(ns.Name, c.Name);
                if (!_commonDecls.TryAdd(q, (c, ns.Name))) Report(SchemaErrorCodes.Duplicate, $"common type `{q}` is declared twice", c.Pos);
            }
            foreach (var e in ns.Entities)
            {
                var q = Qualify(ns.Name, e.Name);
                if (!_entityNames.Add(q)) Report(SchemaErrorCodes.Duplicate, $"entity type `{q}` is declared twice", e.Pos);
            }
            foreach (var a in ns.Actions)
            {
                var uid = new EntityUid(Qualify(ns.Name, "Action"), a.Name);
                if (!_actionUids.Add(uid)) Report(SchemaErrorCodes.Duplicate, $"action `{uid}` is declared twice", a.Pos);
            }
        }
        foreach (var q in _commonDecls.Keys)
        {
            if (_entityNames.Contains(q)) Report(SchemaErrorCodes.Duplicate, $"`{q}` is declared both as a common type and as an entity type", _commonDecls[q].Decl.Pos);
        }

        var entities = new List<EntityTypeDefinition>();
        var actions = new List<ActionDefinition>();
        foreach (var ns in fragment.Namespaces)
        {
            foreach (var e in ns.Entities) entities.Add(ResolveEntity(ns.Name, e));
            foreach (var a in ns.Actions) actions.Add(ResolveAction(ns.Name, a));
        }
        var commons = new List<KeyValuePair<string, CedarType>>();
        foreach (var q in _commonDecls.Keys)
        {
            if (ResolveCommon(q) is { } t) commons.Add(new(q, t));
        }
        if (ActionCycle(actions) is { } cyclic)
        {
            Report(SchemaErrorCodes.Cycle, $"the action hierarchy has a cycle through `{cyclic}`", SchemaPos.None);
        }
        var sizes = new Dictionary<CedarType, long>(ReferenceEqualityComparer.Instance);
        var tooLarge = entities.Select(e => ((CedarType)e.Shape, e.Name))
            .Concat(entities.Where(e => e.Tags is not null).Select(e => (e.Tags!, e.Name)))
            .Concat(actions.Select(a => ((CedarType)a.AppliesTo.Context, a.Uid.ToString())))
            .Concat(commons.Select(c => (c.Value, c.Key)))
            .FirstOrDefault(t => ExpandedSize(t.Item1, sizes) > MaxExpandedTypeSize);
        if (tooLarge.Item2 is not null)
        {
            Report(SchemaErrorCodes.Invalid, $"the type of `{tooLarge.Item2}` is too large once common types are expanded (more than {MaxExpandedTypeSize} nodes)", SchemaPos.None);
        }
        return new CedarSchema(fragment.Namespaces.Select(n => n.Name), entities, actions, commons);
    }

    private EntityTypeDefinition ResolveEntity(string ns, EntityDecl e)
    {
        var memberOf = e.MemberOfTypes.Select(m => ResolveEntityTypeName(ns, m, e.Pos) ?? m).Distinct().ToArray();
        var shape = RecordType.Empty;
        if (e.Shape is not null)
        {
            var t = ResolveType(ns, e.Shape);
            if (t is RecordType r) shape = r;
            else if (t is not null) Report(SchemaErrorCodes.Invalid, $"the shape of entity type `{Qualify(ns, e.Name)}` must be a record, not `{t}`", e.Pos);
        }
        var tags = e.Tags is null ? null : ResolveType(ns, e.Tags);
        ValueList<string>? enumValues = e.EnumValues is null ? null : (ValueList<string>?)new ValueList<string>(e.EnumValues.Distinct());
        return new EntityTypeDefinition(Qualify(ns, e.Name), memberOf, shape, tags, enumValues, e.Annotations);
    }

    private ActionDefinition ResolveAction(string ns, ActionDecl a)
    {
        var uid = new EntityUid(Qualify(ns, "Action"), a.Name);
        var memberOf = new List<EntityUid>();
        foreach (var m in a.MemberOf)
        {
            var resolved = ResolveActionRef(ns, m);
            if (resolved is null) Report(SchemaErrorCodes.UnknownAction, $"undeclared action `{Qualify(m.Type ?? Qualify(ns, "Action"), CedarString.Quote(m.Id))}` in the parents of `{uid}`", m.Pos);
            else if (!memberOf.Contains(resolved)) memberOf.Add(resolved);
        }
        var appliesTo = AppliesTo.Nothing;
        if (a.AppliesTo is { } ap)
        {
            var principals = ap.PrincipalTypes.Select(p => ResolveEntityTypeName(ns, p, ap.Pos) ?? p).Distinct().ToArray();
            var resources = ap.ResourceTypes.Select(p => ResolveEntityTypeName(ns, p, ap.Pos) ?? p).Distinct().ToArray();
            var context = RecordType.Empty;
            if (ap.Context is not null)
            {
                var t = ResolveType(ns, ap.Context);
                if (t is RecordType r) context = r;
                else if (t is not null) Report(SchemaErrorCodes.Invalid, $"the context of action `{uid}` must be a record, not `{t}`", ap.Pos);
            }
            appliesTo = new AppliesTo(principals, resources, context);
        }
        return new ActionDefinition(uid, new ValueList<EntityUid>(memberOf), appliesTo, a.Annotations);
    }

    private EntityUid? ResolveActionRef(string ns, ActionRefDecl m)
    {
        if (m.Type is null)
        {
            var local = new EntityUid(Qualify(ns, "Action"), m.Id);
            if (_actionUids.Contains(local)) return local;
            var global = new EntityUid("Action", m.Id);
            return _actionUids.Contains(global) ? global : null;
        }
        var written = new EntityUid(m.Type, m.Id);
        if (_actionUids.Contains(written)) return written;
        if (!m.Type.Contains("::"))
        {
            var relative = new EntityUid(Qualify(ns, m.Type), m.Id);
            if (_actionUids.Contains(relative)) return relative;
        }
        return null;
    }

    private string? ResolveEntityTypeName(string ns, string name, SchemaPos pos)
    {
        if (name.Contains("::"))
        {
            if (_entityNames.Contains(name)) return name;
        }
        else
        {
            var local = Qualify(ns, name);
            if (_entityNames.Contains(local)) return local;
            if (_entityNames.Contains(name)) return name;
        }
        Report(SchemaErrorCodes.UnknownEntityType, $"undeclared entity type `{name}`", pos);
        return null;
    }

    private CedarType? ResolveCommon(string qualified)
    {
        if (_commonResolved.TryGetValue(qualified, out var done)) return done;
        var (decl, ns) = _commonDecls[qualified];
        if (!_commonInProgress.Add(qualified))
        {
            Report(SchemaErrorCodes.Cycle, $"common type `{qualified}` refers to itself", decl.Pos);
            _commonResolved[qualified] = null;
            return null;
        }
        var t = ResolveType(ns, decl.Type);
        _commonInProgress.Remove(qualified);
        _commonResolved[qualified] = t;
        return t;
    }

    // Bounds on what common types may expand to, so a hostile schema cannot blow the stack
    // (long chains of references) or the validator's time (types that double at every level).
    private const int MaxTypeDepth = 256;
    private const long MaxExpandedTypeSize = 100_000;
    private int _typeDepth;
    private bool _tooDeepReported;

    private CedarType? ResolveType(string ns, TypeExpr type)
    {
        if (_typeDepth >= MaxTypeDepth)
        {
            if (!_tooDeepReported) Report(SchemaErrorCodes.Invalid, $"types are nested more than {MaxTypeDepth} levels deep (common types included)", type.Pos);
            _tooDeepReported = true;
            return null;
        }
        _typeDepth++;
        try
        {
            return ResolveTypeCore(ns, type);
        }
        finally
        {
            _typeDepth--;
        }
    }

    private CedarType? ResolveTypeCore(string ns, TypeExpr type)
    {
        switch (type)
        {
            case BuiltinTypeExpr b:
                return b.Type;
            case SetTypeExpr s:
                return ResolveType(ns, s.Element) is { } el ? new SetType(el) : null;
            case RecordTypeExpr r:
                {
                    var attrs = new List<RecordAttribute>();
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    var ok = true;
                    foreach (var a in r.Attributes)
                    {
                        if (!names.Add(a.Name))
                        {
                            Report(SchemaErrorCodes.Duplicate, $"attribute `{a.Name}` is declared twice", a.Pos);
                            ok = false;
                            continue;
                        }
                        var t = ResolveType(ns, a.Type);
                        if (t is null) ok = false;
                        else attrs.Add(new RecordAttribute(a.Name, t, a.Required, a.Annotations));
                    }
                    return ok ? new RecordType(attrs) : null;
                }
            case NamedTypeExpr n:
                return ResolveName(ns, n);
            default:
                throw new InvalidOperationException("unknown type expression"); // a bug, not an input error
        }
    }

    private CedarType? ResolveName(string ns, NamedTypeExpr n)
    {
        var name = n.Name;
        if (name.StartsWith("__cedar::", StringComparison.Ordinal))
        {
            var builtin = Builtin(name["__cedar::".Length..], n.Kind);
            if (builtin is null) Report(SchemaErrorCodes.UnknownType, $"unknown built-in type `{name}`", n.Pos);
            return builtin;
        }
        var candidates = name.Contains("::") ? [name] : ns.Length == 0 ? new[] { name } : [Qualify(ns, name), name];
        foreach (var q in candidates)
        {
            if (n.Kind is NameKind.EntityOrCommon or NameKind.Common && _commonDecls.ContainsKey(q)) return ResolveCommon(q);
            if (n.Kind is NameKind.EntityOrCommon or NameKind.Entity && _entityNames.Contains(q)) return new EntityType(q);
        }
        if (!name.Contains("::") && n.Kind is NameKind.EntityOrCommon or NameKind.Extension && Builtin(name, n.Kind) is { } b) return b;
        var what = n.Kind switch
        {
            NameKind.Entity => "entity type",
            NameKind.Common => "common type",
            NameKind.Extension => "extension type",
            _ => "type",
        };
        Report(SchemaErrorCodes.UnknownType, $"failed to resolve {what} `{name}`", n.Pos);
        return null;
    }

    // An action that is (transitively) a member of itself; iterative DFS with colours.
    private static EntityUid? ActionCycle(List<ActionDefinition> actions)
    {
        var parents = actions.ToDictionary(a => a.Uid, a => a.MemberOf);
        var state = new Dictionary<EntityUid, int>(); // 1 = on the current path, 2 = done
        foreach (var start in parents.Keys)
        {
            if (state.ContainsKey(start)) continue;
            var stack = new Stack<(EntityUid Node, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var ps = parents.TryGetValue(node, out var list) ? list : default;
                if (next < ps.Count)
                {
                    stack.Push((node, next + 1));
                    var p = ps[next];
                    if (state.TryGetValue(p, out var st))
                    {
                        if (st == 1) return p;
                        continue;
                    }
                    state[p] = 1;
                    stack.Push((p, 0));
                }
                else
                {
                    state[node] = 2;
                }
            }
        }
        return null;
    }

    // Size of a type with shared (common) parts counted at every use; memoized by reference.
    private static long ExpandedSize(CedarType t, Dictionary<CedarType, long> memo)
    {
        if (memo.TryGetValue(t, out var known)) return known;
        long size = 1;
        if (t is SetType s) size += ExpandedSize(s.Element, memo);
        else if (t is RecordType r)
        {
            foreach (var a in r.Attributes) size = Math.Min(size + ExpandedSize(a.Type, memo), long.MaxValue / 4);
        }
        memo[t] = size;
        return size;
    }

    private static CedarType? Builtin(string name, NameKind kind) => kind == NameKind.Extension
        ? ExtensionTypes.Find(name)
        : name switch
        {
            "Bool" or "Boolean" => BoolType.Instance,
            "Long" => LongType.Instance,
            "String" => StringType.Instance,
            _ => ExtensionTypes.Find(name),
        };

    private void Report(string code, string message, SchemaPos pos) =>
        _diagnostics.Add(new SchemaDiagnostic(code, message, _fileName, pos.Line, pos.Column));
}
