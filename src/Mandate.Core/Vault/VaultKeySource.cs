namespace Mandate.Core.Vault;

/// <summary>
/// Finds the vault master key: a key file if one is configured, otherwise an environment variable. Both hold 32 bytes
/// as base64. There is no fallback: a configured but unreadable key file is an error, not a reason to try elsewhere.
/// </summary>
public static class VaultKeySource
{
    /// <summary>The environment variable read when no key file is configured.</summary>
    public const string DefaultEnvironmentVariable = "MANDATE_VAULT_KEY";

    /// <summary>Loads the 32-byte master key.</summary>
    /// <param name="keyFile">Path of a file holding the base64 key, or null to use the environment.</param>
    /// <param name="environmentVariable">Variable holding the base64 key.</param>
    public static VaultResult<byte[]> Load(string? keyFile, string environmentVariable = DefaultEnvironmentVariable)
    {
        string? text;
        string origin;
        if (keyFile is not null)
        {
            origin = $"key file `{keyFile}`";
            try
            {
                text = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return VaultResult<byte[]>.Failure(VaultErrorCodes.NoKey, $"cannot read {origin}: {ex.Message}");
            }
        }
        else
        {
            origin = $"environment variable `{environmentVariable}`";
            text = Environment.GetEnvironmentVariable(environmentVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                return VaultResult<byte[]>.Failure(VaultErrorCodes.NoKey, $"no vault key: set {origin} or configure a key file");
            }
        }
        var key = new byte[32];
        if (!Convert.TryFromBase64String(text.Trim(), key, out var written) || written != 32)
        {
            return VaultResult<byte[]>.Failure(VaultErrorCodes.BadKey, $"{origin} must hold 32 bytes as base64");
        }
        return VaultResult<byte[]>.Success(key);
    }
}
