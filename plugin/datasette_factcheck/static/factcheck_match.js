// "Use this verdict" on the claim page's "Checked before" panel: copies the earlier
// verdict into the review form (the status the button names: done) and the fact-check's
// link into the evidence.
// Nothing is saved: the editor still presses Save.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".fc-use-verdict");
  if (!button) return;
  const form = document.querySelector(".fc-review-form");
  if (!form) return;
  form.elements.verdict.value = button.dataset.fcVerdict;
  form.elements.status.value = button.dataset.fcStatus;
  const source = button.dataset.fcSource;
  const evidence = form.elements.evidence;
  if (source && evidence && !evidence.value.split("\n").includes(source)) {
    evidence.value = evidence.value ? evidence.value.replace(/\s*$/, "\n") + source : source;
  }
  form.elements.verdict.focus();
});
