using System.Reflection;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

/// <summary>
/// Every node of a YAML document by its path (<c>routes[2].path</c>), so that validation messages can
/// carry line numbers and free-form values (attributes, credentials) can be read with their YAML types.
/// Built while checking the document's shape against the DTO types: unknown keys and
/// mapping/sequence/scalar mismatches are all reported, not just the first.
/// </summary>
/// <remarks>
/// The check also yields <see cref="Fitting"/>: a copy of the document with every misfit taken out (an unknown or
/// repeated key left out, a value of the wrong shape replaced by null), so the DTOs can still be read and the
/// validators still run over everything else. A shape problem therefore never hides the other problems of a file.
/// </remarks>
public sealed class YamlNodeIndex
{
    /// <summary>
    /// The most nodes a configuration may expand to. Aliases let a short file name a node many times (the
    /// "billion laughs"); a real configuration has a few hundred.
    /// </summary>
    public const int MaxNodes = 100_000;

    private readonly Dictionary<string, YamlNode> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _misfits = new(StringComparer.Ordinal);
    private int _visited;

    private YamlNodeIndex(YamlMappingNode fitting) => Fitting = fitting;

    /// <summary>The node at a path, if present; null for a path whose value had the wrong shape.</summary>
    public YamlNode? this[string path] => _misfits.Contains(path) ? null : _nodes.GetValueOrDefault(path);

    /// <summary>The document with every misfit taken out: what the DTOs are read from.</summary>
    public YamlMappingNode Fitting { get; private set; }

    /// <summary>The paths whose value had the wrong shape (read as null).</summary>
    public IReadOnlyCollection<string> Misfits => _misfits;

    /// <summary>True when the document had more than <see cref="MaxNodes"/> nodes; nothing more was read.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>1-based line of the node at a path, or of its nearest indexed ancestor.</summary>
    public int? LineOf(string path)
    {
        while (true)
        {
            if (_nodes.TryGetValue(path, out var node))
            {
                return (int)node.Start.Line;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return null;
            }

            path = path[..cut];
        }
    }

    /// <summary>Indexes <paramref name="root"/>, checks it against the DTO type <paramref name="shape"/> and builds <see cref="Fitting"/>.</summary>
    public static YamlNodeIndex Build(YamlMappingNode root, Type shape, List<ConfigProblem> problems)
    {
        var index = new YamlNodeIndex(new YamlMappingNode());
        var fitting = index.Walk(root, shape, "", problems);
        if (index.TooLarge)
        {
            problems.Add(new ConfigProblem("", $"the file expands to more than {MaxNodes} values (aliases naming aliases?)", (int)root.Start.Line));
        }
        else
        {
            index.Fitting = (YamlMappingNode)fitting!;
        }

        return index;
    }

    /// <summary>True when <paramref name="path"/> is, or lies under, one of <paramref name="paths"/>.</summary>
    public static bool IsWithin(string path, IEnumerable<string> paths) =>
        paths.Any(p => p.Length == 0 || path == p || (path.StartsWith(p, StringComparison.Ordinal) && path[p.Length] is '.' or '['));

    // Returns the fitting copy of `node`, or null when it does not fit `type` (the caller puts a null in its place).
    private YamlNode? Walk(YamlNode node, Type type, string path, List<ConfigProblem> problems)
    {
        if (++_visited > MaxNodes)
        {
            TooLarge = true;
            return null;
        }

        if (path.Length > 0)
        {
            _nodes[path] = node;
        }

        if (IsNull(node))
        {
            return node;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object))
        {
            WalkFree(node, path);
            return node;
        }

        if (type == typeof(string))
        {
            return node is YamlScalarNode ? node : Misfit(path, "expected a single value, not a list or mapping", node, problems);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not YamlSequenceNode sequence)
            {
                return Misfit(path, "expected a list", node, problems);
            }

            var itemType = type.GetGenericArguments()[0];
            var items = new YamlSequenceNode();
            for (var i = 0; i < sequence.Children.Count && !TooLarge; i++)
            {
                items.Add(Walk(sequence.Children[i], itemType, $"{path}[{i}]", problems) ?? new YamlScalarNode());
            }

            return items;
        }

        if (node is not YamlMappingNode mapping)
        {
            return Misfit(path, "expected a mapping (key: value)", node, problems);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            var entries = new YamlMappingNode();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Children)
            {
                if (TooLarge)
                {
                    break;
                }

                var name = KeyText(key);
                var childPath = Join(path, name);
                if (!names.Add(name))
                {
                    problems.Add(new ConfigProblem(childPath, "duplicate key", (int)key.Start.Line));
                    continue;
                }

                entries.Add(new YamlScalarNode(name), Walk(value, valueType, childPath, problems) ?? new YamlScalarNode());
            }

            return entries;
        }

        return WalkObject(mapping, type, path, problems);
    }

    private YamlMappingNode WalkObject(YamlMappingNode mapping, Type type, string path, List<ConfigProblem> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? p.Name, StringComparer.Ordinal);
        var fitting = new YamlMappingNode();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (TooLarge)
            {
                break;
            }

            var name = KeyText(key);
            var childPath = Join(path, name);
            if (!seen.Add(name))
            {
                problems.Add(new ConfigProblem(childPath, "duplicate key", (int)key.Start.Line));
                continue;
            }

            if (!properties.TryGetValue(name, out var property))
            {
                var known = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal));
                problems.Add(new ConfigProblem(childPath, $"unknown key `{name}` (known: {known})", (int)key.Start.Line));
                continue;
            }

            fitting.Add(new YamlScalarNode(name), Walk(value, property.PropertyType, childPath, problems) ?? new YamlScalarNode());
        }

        return fitting;
    }

    private YamlNode? Misfit(string path, string message, YamlNode node, List<ConfigProblem> problems)
    {
        problems.Add(new ConfigProblem(path, message, (int)node.Start.Line));
        _misfits.Add(path);
        return null;
    }

    private void WalkFree(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (++_visited > MaxNodes)
                    {
                        TooLarge = true;
                        return;
                    }

                    var childPath = Join(path, KeyText(key));
                    _nodes[childPath] = value;
                    WalkFree(value, childPath);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (++_visited > MaxNodes)
                    {
                        TooLarge = true;
                        return;
                    }

                    var childPath = $"{path}[{i}]";
                    _nodes[childPath] = sequence.Children[i];
                    WalkFree(sequence.Children[i], childPath);
                }

                break;
        }
    }

    /// <summary>True for an absent value: <c>~</c>, <c>null</c> or nothing (plain scalars only).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } s &&
        (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string KeyText(YamlNode key) => key is YamlScalarNode s ? s.Value ?? "" : key.ToString();

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
