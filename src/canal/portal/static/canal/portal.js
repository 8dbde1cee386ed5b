// Behaviour the portal's markup asks for with data attributes, so that no page needs inline script
// (the Content-Security-Policy allows scripts from our origin only).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
