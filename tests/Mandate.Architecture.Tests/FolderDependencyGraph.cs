using System.Text;
using System.Text.RegularExpressions;

namespace Mandate.Architecture.Tests;

/// <summary>
/// The dependency graph between the top-level folders of one C# project, read from its source text. Folder A
/// depends on folder B when a file under A names B's namespace: a <c>using Prefix.B…</c> directive, a fully
/// qualified <c>Prefix.B.</c> reference, or a partial qualification <c>B.SomeType</c> (which C# resolves through
/// the enclosing <c>Prefix</c> namespace, so it is a dependency no <c>using</c> shows). Subfolders count as their
/// top-level folder (<c>Evaluation/Nodes</c> is <c>Evaluation</c>), except under the folders named as <em>groups</em>,
/// whose subfolders are folders of their own (<c>Fronts/Http</c>, <c>Fronts/Mcp</c>); files directly in the root form
/// the folder <c>""</c>. Comments and string contents are skipped; interpolation holes and doc-comment crefs are code
/// (the compiler binds both).
/// </summary>
/// <remarks>
/// Text, not semantics: a reference to a root-namespace type by its simple name is invisible, and a partial
/// qualification counts only when the name after the dot is a type declared in (or a subfolder of) that folder,
/// so that member accesses such as <c>ctx.Entities.TryGet</c> or <c>Values.Count</c> are not mistaken for one.
/// BCL only, so it can be copied into any project's tests.
/// </remarks>
public sealed class FolderDependencyGraph
{
    private static readonly Regex DeclaredType = new(
        @"\b(?:class|struct|interface|enum|record)\s+(?:class\s+|struct\s+)?([A-Z_]\w*)|\bdelegate\s+[^;(]*?\b([A-Z_]\w*)\s*(?:<[^>]*>)?\s*\(",
        RegexOptions.Compiled);

    private static readonly Regex NamespaceDeclaration = new(@"\bnamespace\s+[\w.]+", RegexOptions.Compiled);

    private readonly Dictionary<string, Dictionary<string, List<Reference>>> _edges;

    private FolderDependencyGraph(IReadOnlyCollection<string> folders, Dictionary<string, Dictionary<string, List<Reference>>> edges)
    {
        Folders = folders;
        _edges = edges;
    }

    /// <summary>The top-level folders that hold at least one source file (<c>""</c> for the root).</summary>
    public IReadOnlyCollection<string> Folders { get; }

    /// <summary>
    /// One place where a file of <paramref name="From"/> names <paramref name="To"/>: the file (relative to the
    /// source root, with '/'), its 1-based line, and the text that names it.
    /// </summary>
    public sealed record Reference(string From, string To, string File, int Line, string Text)
    {
        /// <inheritdoc />
        public override string ToString() => $"{File}:{Line} `{Text}`";
    }

    /// <summary>
    /// Reads every <c>*.cs</c> file under <paramref name="sourceRoot"/> (skipping <c>bin/</c> and <c>obj/</c>),
    /// whose namespaces start with <paramref name="namespacePrefix"/> (e.g. <c>Mandate.Cedar</c>).
    /// </summary>
    public static FolderDependencyGraph Load(string sourceRoot, string namespacePrefix, params string[] groups)
    {
        var files = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sourceRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(sourceRoot, f))));
        return FromSources(files, namespacePrefix, groups);
    }

    /// <summary>Builds the graph from in-memory files: (path relative to the source root, text).</summary>
    public static FolderDependencyGraph FromSources(IEnumerable<(string Path, string Text)> files, string namespacePrefix, params string[] groups)
    {
        string FolderOf(string path) => FolderDependencyGraph.FolderOf(path, groups);

        var code = files
            .Select(f => (Path: f.Path.Replace('\\', '/'), Code: NamespaceDeclaration.Replace(CSharpCodeText.Of(f.Text), m => new string(' ', m.Length))))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        // What may follow "Folder." in a partial qualification: the folder's own types and subfolders.
        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (path, text) in code)
        {
            var parts = path.Split('/');
            var folder = FolderOf(path);
            var names = members.TryGetValue(folder, out var set) ? set : members[folder] = new HashSet<string>(StringComparer.Ordinal);
            var depth = folder.Split('/').Length;
            if (folder.Length > 0 && parts.Length > depth + 1)
            {
                names.Add(parts[depth]);
            }

            foreach (Match m in DeclaredType.Matches(text))
            {
                names.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
            }
        }

        var folders = members.Keys.Where(f => f.Length > 0).ToList();
        var prefix = Regex.Escape(namespacePrefix);
        var qualified = new Regex($@"(?<![\w.])(?:global::)?{prefix}\.(\w+)((?:\.\w+)*)");

        // A partial qualification names a folder by its last segment (`Identify.X` from within `Flow`).
        var byLastSegment = folders.GroupBy(f => f[(f.LastIndexOf('/') + 1)..], StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        var partial = byLastSegment.Count == 0 ? null : new Regex($@"(?<![\w.])({string.Join('|', byLastSegment.Keys.Select(Regex.Escape))})\.(\w+)");
        var rootTypes = members.TryGetValue("", out var root) ? root : [];

        var edges = new Dictionary<string, Dictionary<string, List<Reference>>>(StringComparer.Ordinal);
        foreach (var (path, text) in code)
        {
            var from = FolderOf(path);
            foreach (Match m in qualified.Matches(text))
            {
                var name = m.Groups[1].Value;
                var rest = m.Groups[2].Value.Split('.', StringSplitOptions.RemoveEmptyEntries);
                var nested = rest.Length > 0 && groups.Contains(name) ? name + "/" + rest[0] : null;
                var to = nested is not null && members.ContainsKey(nested) ? nested
                    : members.ContainsKey(name) ? name
                    : rootTypes.Contains(name) ? "" : null;
                Add(from, to, path, text, m);
            }

            if (partial is null)
            {
                continue;
            }

            foreach (Match m in partial.Matches(text))
            {
                var to = byLastSegment[m.Groups[1].Value];
                Add(from, members[to].Contains(m.Groups[2].Value) ? to : null, path, text, m);
            }
        }

        return new FolderDependencyGraph(members.Keys.Order(StringComparer.Ordinal).ToList(), edges);

        void Add(string from, string? to, string path, string text, Match m)
        {
            if (to is null || to == from)
            {
                return;
            }

            var byTarget = edges.TryGetValue(from, out var t) ? t : edges[from] = new Dictionary<string, List<Reference>>(StringComparer.Ordinal);
            var list = byTarget.TryGetValue(to, out var l) ? l : byTarget[to] = [];
            list.Add(new Reference(from, to, path, LineOf(text, m.Index), m.Value));
        }
    }

    /// <summary>The folders <paramref name="folder"/> depends on, in ordinal order.</summary>
    public IReadOnlyList<string> DependenciesOf(string folder) =>
        _edges.TryGetValue(folder, out var targets) ? targets.Keys.Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Where <paramref name="from"/> names <paramref name="to"/>; empty when it does not.</summary>
    public IReadOnlyList<Reference> ReferencesBetween(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var list) ? list : [];

    /// <summary>
    /// The groups of folders that depend on each other, directly or through others (strongly connected
    /// components with more than one folder), each in ordinal order. Empty when the folders form a DAG.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm; the graphs are a few dozen folders, so recursion depth is no concern.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        foreach (var folder in Folders)
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return result.OrderBy(c => c[0], StringComparer.Ordinal).ToList();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in DependenciesOf(v))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] != index[v])
            {
                return;
            }

            var component = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                component.Add(popped);
            }
            while (popped != v);
            if (component.Count > 1)
            {
                result.Add(component.Order(StringComparer.Ordinal).ToList());
            }
        }
    }

    /// <summary>
    /// A cycle of <see cref="Cycles"/> for a person: one closed path through it, then every dependency between
    /// its folders with the places that make it (the lines to change).
    /// </summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var members = cycle.ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("cycle ").Append(string.Join(" -> ", PathBack(cycle[0], members).Select(Name))).AppendLine();
        foreach (var from in cycle)
        {
            foreach (var to in DependenciesOf(from).Where(members.Contains))
            {
                var refs = ReferencesBetween(from, to);
                text.Append("  ").Append(Name(from)).Append(" -> ").Append(Name(to)).Append(": ")
                    .AppendJoin(", ", refs.Take(5))
                    .Append(refs.Count > 5 ? $", and {refs.Count - 5} more" : "")
                    .AppendLine();
            }
        }

        return text.ToString();
    }

    // The shortest path start -> ... -> start inside the component (breadth-first).
    private List<string> PathBack(string start, HashSet<string> within)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in DependenciesOf(v).Where(within.Contains))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = previous[at])
                    {
                        path.Insert(1, at);
                    }

                    path.Add(start);
                    return path;
                }

                if (previous.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        return [start];
    }

    private static string Name(string folder) => folder.Length == 0 ? "(root)" : folder;

    private static string FolderOf(string path, string[] groups)
    {
        var parts = path.Split('/');
        if (parts.Length == 1)
        {
            return "";
        }

        return parts.Length > 2 && groups.Contains(parts[0]) ? parts[0] + "/" + parts[1] : parts[0];
    }

    private static int LineOf(string text, int offset)
    {
        var line = 1;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
