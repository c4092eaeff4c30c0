using System.Globalization;
using System.Text.RegularExpressions;

namespace Mandate.Server.Tests.Observability.Support;

/// <summary>One sample of the Prometheus text exposition format: metric name, labels, value.</summary>
/// <param name="Name">The metric name (with its suffix: <c>_total</c>, <c>_bucket</c>, …).</param>
/// <param name="Labels">The labels.</param>
/// <param name="Value">The value.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>A label's value, or empty.</summary>
    public string this[string label] => Labels.TryGetValue(label, out var v) ? v : "";
}

/// <summary>Reads the samples of a scrape (format 0.0.4: <c>name{a="x",b="y"} value [timestamp]</c>).</summary>
public static partial class PrometheusText
{
    /// <summary>Every sample in <paramref name="text"/>.</summary>
    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var m = Sample().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value, StringComparer.Ordinal);
            var value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(m.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?\s*$""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
