// Organisation picker: a click on a directory result fills the name and remembers the id;
// typing again forgets the id (then the typed name is saved as direct input).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-org-id]");
  if (!button) return;
  var picker = button.closest(".org-picker");
  picker.querySelector("[data-org-input]").value = button.dataset.orgName;
  picker.querySelector("#id_organization_id").value = button.dataset.orgId;
  picker.querySelector(".org-results").innerHTML = "";
});
document.addEventListener("input", function (event) {
  if (event.target.matches("[data-org-input]")) {
    event.target.closest(".org-picker").querySelector("#id_organization_id").value = "";
  }
});
