using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Evaluation;

/// <summary>
/// Matches Cedar <c>like</c> patterns with the greedy two-pointer algorithm: on a mismatch it
/// backtracks only to the most recent <c>*</c>, so matching costs O(text × pattern) at worst,
/// never exponential time (e.g. <c>*a*a*a*b</c> against a long run of <c>a</c>).
/// </summary>
internal sealed class LikeMatcher
{
    private readonly string _chars;
    private readonly bool[] _isStar;

    public LikeMatcher(LikePattern pattern)
    {
        var chars = new System.Text.StringBuilder();
        var stars = new List<bool>();
        foreach (var part in pattern.Parts)
        {
            if (part.IsWildcard)
            {
                // Adjacent wildcards match the same as one.
                if (stars.Count > 0 && stars[^1]) continue;
                chars.Append('*');
                stars.Add(true);
            }
            else
            {
                chars.Append(part.Text);
                for (var i = 0; i < part.Text.Length; i++) stars.Add(false);
            }
        }
        _chars = chars.ToString();
        _isStar = [.. stars];
    }

    public bool IsMatch(string text)
    {
        var p = _chars;
        var star = _isStar;
        int i = 0, j = 0, starJ = -1, resume = 0;
        while (i < text.Length)
        {
            if (j < p.Length && !star[j] && p[j] == text[i])
            {
                i++;
                j++;
            }
            else if (j < p.Length && star[j])
            {
                starJ = j++;
                resume = i;
            }
            else if (starJ >= 0)
            {
                j = starJ + 1;
                i = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (j < p.Length && star[j]) j++;
        return j == p.Length;
    }
}
