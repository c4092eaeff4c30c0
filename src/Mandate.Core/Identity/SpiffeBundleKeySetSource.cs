namespace Mandate.Core.Identity;

/// <summary>A SPIFFE trust domain's JWT bundle, from a URL or a file. Only keys marked <c>use: jwt-svid</c> are kept.</summary>
internal sealed class SpiffeBundleKeySetSource(SpiffeTrustDomainOptions options, DocumentFetcher fetcher, int maxBytes) : IKeySetSource
{
    public async Task<KeySetFetch> FetchAsync(CancellationToken cancellationToken)
    {
        byte[] body;
        string where;
        if (options.BundleUrl is { } url)
        {
            where = url.ToString();
            var (fetched, error) = await fetcher.GetAsync(url, options.RequireHttps, cancellationToken).ConfigureAwait(false);
            if (fetched is null)
            {
                return KeySetFetch.Failure(error!);
            }
            body = fetched;
        }
        else
        {
            where = options.BundlePath!;
            try
            {
                var info = new FileInfo(where);
                if (info.Exists && info.Length > maxBytes)
                {
                    return KeySetFetch.Failure($"the bundle file `{where}` is larger than {maxBytes} bytes");
                }
                body = await File.ReadAllBytesAsync(where, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                return KeySetFetch.Failure($"the bundle file `{where}` could not be read: {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                return KeySetFetch.Failure($"the bundle file `{where}` could not be read: {ex.Message}");
            }
        }

        if (!JsonWebKeySetReader.TryRead(body, "jwt-svid", useRequired: true, out var keys, out var readError))
        {
            return KeySetFetch.Failure($"the bundle at `{where}` is unusable: {readError!.Message}");
        }
        if (keys.Keys.Count == 0)
        {
            return KeySetFetch.Failure($"the bundle at `{where}` holds no usable jwt-svid key");
        }
        return KeySetFetch.Success(keys);
    }
}
