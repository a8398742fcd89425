() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const all = [...document.querySelectorAll(sel)].filter(el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') return false;
    if (el.closest('.visually-hidden, [hidden], [aria-hidden=true]')) return false;
    if (r.right <= 0 || r.bottom <= 0) return false;   // off-screen until focused (skip link)
    return true;
  });
  const rects = all.map(el => el.getBoundingClientRect());
  const inline = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    if (!block) return false;
    const own = (el.textContent || '').trim().length;
    const around = (block.textContent || '').trim().length;
    return around > own + 1;
  };
  const native = el => el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type)
      && getComputedStyle(el).appearance !== 'none';
  const out = [];
  all.forEach((el, i) => {
    const r = rects[i];
    if (r.width >= 23.5 && r.height >= 23.5) return;
    if (inline(el) || native(el)) return;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const crowded = rects.some((o, j) => {
      if (j === i || all[j].contains(el) || el.contains(all[j])) return false;
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      const small = o.width < 23.5 || o.height < 23.5;
      if (small) {
        const ox = o.left + o.width / 2, oy = o.top + o.height / 2;
        return Math.hypot(ox - cx, oy - cy) < 24;
      }
      return Math.hypot(dx, dy) < 12;
    });
    if (!crowded) return;
    const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '').trim().slice(0, 30);
    out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return out;
}
