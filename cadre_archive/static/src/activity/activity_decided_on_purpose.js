import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";
import { patch } from "@web/core/utils/patch";

// An archive approval to-do is settled with Approve or Refuse, never by
// marking it done: the activity menu does not offer it either.
patch(ActivityListPopoverItem.prototype, {
    get hasMarkDoneButton() {
        return super.hasMarkDoneButton && !this.props.activity.archive_decided_on_purpose;
    },
});
