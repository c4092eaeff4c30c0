using System.Globalization;

namespace Mandate.Server.Configuration;

// Scalars every section uses: urls, files relative to the configuration file, lists of names, numbers.
public sealed partial class MandateConfigValidator
{
    private Uri? HttpUrl(string text, string path)
    {
        // Uri trims surrounding white space and escapes inner spaces, but an issuer is compared with `iss` as
        // written, and a discovery url built from "https://a.example " would not parse (fuzz/crashes/config/issuer-trailing-space.yaml).
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            Problem(path, $"`{text}` has white space or control characters; a url has neither");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Problem(path, $"`{text}` is not an absolute http(s) url");
            return null;
        }

        // Keys and bundles over plain http could be swapped by anyone on the path; loopback is for tests and demos.
        if (path.StartsWith("identity.", StringComparison.Ordinal) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            Problem(path, $"`{text}` must use https (plain http is accepted only for loopback addresses)");
        }

        return uri;
    }

    // The well-known discovery document of an issuer given without `discoveryUrl`.
    private Uri DiscoveryOf(string issuer, string path)
    {
        if (Uri.TryCreate(issuer.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute, out var discovery))
        {
            return discovery;
        }

        Problem(path, $"no discovery url can be formed from `{issuer}`; give `discoveryUrl`");
        return new Uri("http://invalid/");
    }

    private string ExistingFile(string text, string path)
    {
        var full = ResolvePath(text, path);
        if (full.Length > 0 && !File.Exists(full))
        {
            Problem(path, $"file `{full}` does not exist");
        }

        return full;
    }

    // Relative to the configuration file's folder. "" (and a problem) for text no file system takes: a NUL
    // character ("\0" in a quoted YAML string) made Path.GetFullPath throw (fuzz/crashes/config/nul-in-paths.yaml).
    private string ResolvePath(string text, string path)
    {
        if (text.Contains('\0'))
        {
            Problem(path, "is not a usable path: it holds a NUL character");
            return "";
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(_baseDirectory, text));
    }

    private List<string> NonEmptyStrings(List<string?>? values, string path)
    {
        var result = new List<string>();
        if (values is null)
        {
            Problem(path, "required");
            return result;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                Problem($"{path}[{i}]", "must not be empty");
            }
            else
            {
                result.Add(values[i]!);
            }
        }

        return result;
    }

    private int PositiveInt(string? text, string path, int fallback) => Int(text, path, fallback, 1);

    private int NonNegativeInt(string? text, string path, int fallback) => Int(text, path, fallback, 0);

    private int Int(string? text, string path, int fallback, int min)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Problem(path, $"`{text}` is not a whole number ≥ {min}");
            return fallback;
        }

        return value;
    }
}
