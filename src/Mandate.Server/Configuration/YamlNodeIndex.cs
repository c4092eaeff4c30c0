
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
public sealed class YamlNodeIndex
{
    private readonly Dictionary<string, YamlNode> _nodes = new(StringComparer.Ordinal);

    /// <summary>The node at a path, if present.</summary>
    public YamlNode? this[string path] => _nodes.GetValueOrDefault(path);

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

    /// <summary>Indexes <paramref name="root"/> and checks it against the DTO type <paramref name="shape"/>.</summary>
    public static YamlNodeIndex Build(YamlNode root, Type shape, List<ConfigProblem> problems)
    {
        var index = new YamlNodeIndex();
        index.Walk(root, shape, "", problems);
        return index;
    }

    private void Walk(YamlNode node, Type type, string path, List<ConfigProblem> problems)
    {
        if (path.Length > 0)
        {
            _nodes[path] = node;
        }

        if (IsNull(node))
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object))
        {
            WalkFree(node, path);
            return;
        }

        if (type == typeof(string))
        {
            if (node is not YamlScalarNode)
            {
                problems.Add(new ConfigProblem(path, "expected a single value, not a list or mapping", (int)node.Start.Line));
            }

            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not YamlSequenceNode sequence)
            {
                problems.Add(new ConfigProblem(path, "expected a list", (int)node.Start.Line));
                return;
            }

            var itemType = type.GetGenericArguments()[0];
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                Walk(sequence.Children[i], itemType, $"{path}[{i}]", problems);
            }

            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            problems.Add(new ConfigProblem(path, "expected a mapping (key: value)", (int)node.Start.Line));
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            foreach (var (key, value) in mapping.Children)
            {
                Walk(value, valueType, Join(path, KeyText(key)), problems);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? p.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
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

            Walk(value, property.PropertyType, childPath, problems);
        }
    }

    private void WalkFree(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var childPath = Join(path, KeyText(key));
                    _nodes[childPath] = value;
                    WalkFree(value, childPath);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
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
