// The Graph fields the dashboard shows, shared by both modes: the Worker asks for these (it
// imports this file), and so does the page in direct mode.

/** A conversation in the list: who, what was said last, when, how many unread. */
export const CONVERSATION_FIELDS = "id,updated_time,snippet,unread_count,message_count,participants,can_reply";

/** A message in the thread view. */
export const MESSAGE_FIELDS = "id,created_time,message,from,attachments,sticker,is_unsupported";
