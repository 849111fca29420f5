/* The BPF ELF object, embedded so the binary is self-contained. */
	.section .rodata
	.balign 8
	.global tt_bpf_object, tt_bpf_object_end
tt_bpf_object:
	.incbin BPF_OBJECT_PATH
tt_bpf_object_end:
	.section .note.GNU-stack,"",%progbits
