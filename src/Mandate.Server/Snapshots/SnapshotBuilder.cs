using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Routing;

namespace Mandate.Server.Snapshots;

/// <summary>Reads the policy folder, schema and entities a configuration names and compiles them into a snapshot.</summary>
public sealed class SnapshotBuilder
{
    private readonly IPolicyCompiler _compiler;
    private readonly TimeProvider _time;

    /// <summary>Creates a builder over a policy compiler.</summary>
    public SnapshotBuilder(IPolicyCompiler compiler, TimeProvider time)
    {
        _compiler = compiler;
        _time = time;
    }

    /// <summary>Reads the configuration file again and builds from it (for reloads).</summary>
    public SnapshotBuild BuildFromFile(string configPath)
    {
        var loaded = MandateConfigLoader.Load(configPath);
        return loaded.Succeeded
            ? Build(loaded.Config!)
            : new SnapshotBuild(null, loaded.Problems.Select(p => $"{configPath}: {p}").ToArray());
    }

    /// <summary>Builds a snapshot from a validated configuration. Never throws for bad files.</summary>
    public SnapshotBuild Build(MandateConfig config)
    {
        var (policies, schema, entities, problems) = ReadSources(config.Policies.Directory, config.Policies.SchemaFile, config.EntitiesFile);
        if (problems.Count > 0)
        {
            return new SnapshotBuild(null, problems);
        }

        var inputs = new PolicyInputs(config.Policies.Namespace, policies, schema, entities, config.Agents)
        {
            ResourceAttributes = config.Routes.SelectMany(r => r.Resource.Attributes.Select(a => new ResourceAttributeSource(
                $"routes[{r.Index}].resource.attributes.{a.Key}",
                r.Resource.Type,
                a.Key,
                a.Value,
                config.SourcePath,
                r.Resource.AttributeLines.TryGetValue(a.Key, out var line) ? line : null))).ToArray(),
        };
        PolicyCompilation compilation;
        try
        {
            compilation = _compiler.Compile(inputs);
        }
        catch (Exception e)
        {
            // A compiler bug must not take the gateway down or install a half-built set.
            return new SnapshotBuild(null, [$"policy compiler failed: {e.GetType().Name}: {e.Message}"]);
        }

        if (!compilation.Succeeded)
        {
            return new SnapshotBuild(null, compilation.Problems.Select(p => p.ToString()).ToArray());
        }

        var (shadow, shadowProblems) = Shadow(config, inputs, compilation);
        if (shadowProblems.Count > 0)
        {
            return new SnapshotBuild(null, shadowProblems);
        }

        var version = Version(config, inputs);
        return new SnapshotBuild(new GatewaySnapshot(version, config, new RouteTable(config.Routes), compilation.DecisionPoint!, _time.GetUtcNow()) { Shadow = shadow }, []);
    }

    // The candidate folder compiled with the live schema, entities and agents; or the live set's @shadow policies.
    // A candidate that does not compile refuses the whole snapshot, as a live policy would: loud, and the old one serves.
    private (ShadowSet? Shadow, IReadOnlyList<string> Problems) Shadow(MandateConfig config, PolicyInputs live, PolicyCompilation compilation)
    {
        if (config.Policies.ShadowDirectory is not { } folder)
        {
            return (compilation.Shadow is { } marked ? new ShadowSet(marked, Digest(live.Policies), "@shadow") : null, []);
        }

        var (policies, _, _, problems) = ReadSources(folder, null, null);
        if (problems.Count > 0)
        {
            return (null, problems.Select(p => $"policies.shadow: {p}").ToArray());
        }

        PolicyCompilation candidate;
        try
        {
            candidate = _compiler.Compile(live with { Policies = policies });
        }
        catch (Exception e)
        {
            return (null, [$"policies.shadow: policy compiler failed: {e.GetType().Name}: {e.Message}"]);
        }

        return candidate.Succeeded
            ? (new ShadowSet(candidate.Shadow ?? candidate.DecisionPoint!, Digest(policies), folder), [])
            : (null, candidate.Problems.Select(p => $"policies.shadow: {p}").ToArray());
    }

    private static string Digest(IReadOnlyList<PolicySource> policies)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in policies)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(p.Path) + "\n" + p.Text + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>
    /// The <c>.cedar</c> files under <paramref name="directory"/> in ordinal path order, and the schema and entities
    /// files when named; problems instead when a file cannot be read or the folder holds no policy.
    /// </summary>
    public static (IReadOnlyList<PolicySource> Policies, PolicySource? Schema, PolicySource? Entities, IReadOnlyList<string> Problems) ReadSources(
        string directory, string? schemaFile, string? entitiesFile)
    {
        var policies = new List<PolicySource>();
        PolicySource? schema = null, entities = null;
        try
        {
            var files = File.Exists(directory)
                ? [directory]
                : Directory.EnumerateFiles(directory, "*.cedar", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
            foreach (var file in files)
            {
                policies.Add(new PolicySource(file, File.ReadAllText(file)));
            }

            if (files.Length == 0)
            {
                return ([], null, null, [$"{directory}: no .cedar files (nothing could ever be allowed)"]);
            }

            if (schemaFile is not null)
            {
                schema = new PolicySource(schemaFile, File.ReadAllText(schemaFile));
            }

            if (entitiesFile is not null)
            {
                entities = new PolicySource(entitiesFile, File.ReadAllText(entitiesFile));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], null, null, [$"cannot read policy inputs: {e.Message}"]);
        }

        return (policies, schema, entities, []);
    }

    private static string Version(MandateConfig config, PolicyInputs inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        Add(File.Exists(config.SourcePath) ? File.ReadAllText(config.SourcePath) : config.SourcePath);
        foreach (var p in inputs.Policies)
        {
            Add(p.Path);
            Add(p.Text);
        }

        Add(inputs.Schema?.Text ?? "");
        Add(inputs.Entities?.Text ?? "");
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
