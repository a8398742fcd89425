() => [...document.querySelectorAll('main form button[type=submit]:not(.link), main .button.primary')]
  .filter(el => el.getBoundingClientRect().height > 0)
  .filter(el => el.getBoundingClientRect().height < 43.5)
  .map(el => `${(el.textContent || '').trim().slice(0, 30)} ${Math.round(el.getBoundingClientRect().height)}px`)
