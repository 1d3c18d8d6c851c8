// A Datetime field's help text gets the user's time zone appended ("…<br>Asia/Shanghai") before it is
// translated, so no translation matched it: translate the field's own description first.
(function () {
	const Datetime = frappe.ui.form.ControlDatetime;
	if (!Datetime) return;
	const set_description = Datetime.prototype.set_description;
	Datetime.prototype.set_description = function () {
		const description = this.df.description;
		const time_zone = this.get_user_time_zone();
		if (description && !this.df.hide_timezone && !description.includes(time_zone)) {
			this.df.description = __(description, null, this.df.parent);
		}
		return set_description.apply(this, arguments);
	};
})();
